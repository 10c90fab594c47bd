"""Timing text detectors built from configs, fairly: same input, interleaved runs, medians."""
import contextlib
import statistics
import time
from typing import Callable, Dict, List, Optional, Sequence, Tuple

import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmocr.registry import MODELS
from mmocr.structures import TextDetDataSample
from torch import nn


def build_model(config: str) -> Tuple[nn.Module, Config]:
    """The config's model with random weights, and the config."""
    cfg = Config.fromfile(config)
    init_default_scope(cfg.get('default_scope', 'mmocr'))
    return MODELS.build(cfg.model), cfg


def build_for_benchmark(config: str,
                        device: str,
                        channels_last: bool = False,
                        compile_network: bool = False) -> nn.Module:
    """The model in eval mode on ``device``, with the config's speed switches or those
    forced on by the arguments."""
    from ..engine import prepare_for_inference
    model, cfg = build_model(config)
    cfg.channels_last = channels_last or cfg.get('channels_last', False)
    cfg.compile = compile_network or cfg.get('compile', False)
    return prepare_for_inference(model.eval().to(device), cfg)


def dummy_batch(shape: Sequence[int], device: str):
    """A normalised ``(1, 3, H, W)`` input and the data sample the post-processor needs."""
    h, w = shape
    sample = TextDetDataSample(
        metainfo=dict(
            img_shape=(h, w), ori_shape=(h, w), scale_factor=(1.0, 1.0), batch_input_shape=(h, w)))
    return torch.randn(1, 3, h, w, device=device), [sample]


def _timed(fn: Callable[[], object], device: str) -> float:
    if device.startswith('cuda'):
        torch.cuda.synchronize()
    start = time.perf_counter()
    fn()
    if device.startswith('cuda'):
        torch.cuda.synchronize()
    return time.perf_counter() - start


def benchmark(configs: Sequence[str],
              shape: Sequence[int],
              runs: int = 10,
              warmup: int = 2,
              device: str = 'cpu',
              amp: bool = False,
              channels_last: bool = False,
              compile_network: bool = False,
              amp_dtype: Optional[str] = None) -> List[Dict]:
    """Median seconds per image of each config, model only and with post-processing.

    Configs are run interleaved (A B A B ...) so that machine noise hits all alike. ``amp_dtype``
    ('float16' or 'bfloat16') defaults to float16 on CUDA and bfloat16 elsewhere. On CUDA, cuDNN
    picks its fastest kernels for the one input shape (the warm-up runs pay for the search).
    """
    if device.startswith('cuda'):
        torch.backends.cudnn.benchmark = True
    models = [build_for_benchmark(c, device, channels_last, compile_network) for c in configs]
    inputs, samples = dummy_batch(shape, device)
    amp_dtype = amp_dtype or ('float16' if device.startswith('cuda') else 'bfloat16')
    autocast = (
        torch.autocast(device.split(':')[0], dtype=getattr(torch, amp_dtype))
        if amp else contextlib.nullcontext())
    steps = dict(
        model=lambda m: m(inputs, mode='tensor'),
        postprocess=lambda m: m.predict(inputs, [s.clone() for s in samples]))
    times = {(i, k): [] for i in range(len(models)) for k in steps}
    with torch.no_grad(), autocast:
        for run in range(warmup + runs):
            for key, step in steps.items():
                for i, model in enumerate(models):
                    elapsed = _timed(lambda: step(model), device)
                    if run >= warmup:
                        times[(i, key)].append(elapsed)
    return [
        dict(config=config, **{key: statistics.median(times[(i, key)])
                               for key in steps}) for i, config in enumerate(configs)
    ]


def synthetic_batch(batch_size: int, shape: Sequence[int], instances: int = 20, seed: int = 0):
    """``batch_size`` normalised images with ``instances`` random rotated text quads each."""
    import numpy as np
    from mmengine.structures import InstanceData
    rng = np.random.default_rng(seed)
    h, w = shape
    samples = []
    for _ in range(batch_size):
        polygons = []
        for _ in range(instances):
            cx, cy = rng.uniform(0.1, 0.9) * w, rng.uniform(0.1, 0.9) * h
            half_w, half_h, angle = rng.uniform(20, 80), rng.uniform(8, 20), rng.uniform(-0.5, 0.5)
            corners = np.array([[-half_w, -half_h], [half_w, -half_h], [half_w, half_h],
                                [-half_w, half_h]])
            rotation = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
            polygons.append((corners @ rotation.T + [cx, cy]).astype(np.float32).flatten())
        sample = TextDetDataSample(metainfo=dict(img_shape=(h, w), batch_input_shape=(h, w)))
        sample.gt_instances = InstanceData(
            polygons=polygons, ignored=torch.zeros(instances, dtype=torch.bool))
        samples.append(sample)
    return torch.randn(batch_size, 3, h, w), samples


def pipeline_seconds(config: str, batch_size: int, image_shape=(720, 1280)) -> float:
    """Seconds the config's training pipeline takes (in one process) for a batch of
    ICDAR2015-sized JPEG images with 20 text quads each."""
    import os
    import tempfile

    import cv2
    import numpy as np
    from mmengine.dataset import Compose
    cfg = Config.fromfile(config)
    init_default_scope(cfg.get('default_scope', 'mmocr'))
    pipeline = Compose(cfg.train_dataloader.dataset.pipeline)
    _, samples = synthetic_batch(1, image_shape)
    polygons = samples[0].gt_instances.polygons
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, 'image.jpg')
        cv2.imwrite(path, np.random.default_rng(0).integers(0, 255, (*image_shape, 3), np.uint8))
        info = dict(
            img_path=path,
            instances=[
                dict(
                    polygon=p.tolist(),
                    bbox=[
                        float(p[0::2].min()),
                        float(p[1::2].min()),
                        float(p[0::2].max()),
                        float(p[1::2].max())
                    ],
                    bbox_label=0,
                    ignore=False) for p in polygons
            ])
        start = time.perf_counter()
        for _ in range(batch_size):
            pipeline(dict(info))
        return time.perf_counter() - start


def train_step_split(config: str, batch_size: int, shape: Sequence[int], runs: int = 3) -> Dict:
    """Median seconds of one training iteration's parts: the data pipeline (in one worker, on
    ICDAR2015-sized images), forward (image encoder, TCM, neck, head), the auxiliary targets
    and loss, the head's targets and loss, and backward (synthetic images and boxes)."""
    import copy

    from .errors import InputError
    model = build_model(config)[0].train()  # as trained: no inference switches
    if not hasattr(model, 'encode') or model.aux_loss is None:
        raise InputError(f'{config}: the time split is for TCM configs (TCMDetector with aux_loss)')
    inputs, samples = synthetic_batch(batch_size, shape)
    parts = {k: [] for k in ('data', 'forward', 'aux_targets', 'aux_loss', 'head_loss', 'backward')}
    for _ in range(runs + 1):
        data = pipeline_seconds(config, batch_size)
        batch = copy.deepcopy(samples)
        t = time.perf_counter
        start = t()
        levels, outputs = model.encode(inputs)
        head_out = model.det_head(model._neck(levels), batch, mode='loss') \
            if 'mode' in model.det_head.forward.__code__.co_varnames else \
            model.det_head(model._neck(levels), batch)
        forward = t() - start
        start = t()
        size = tuple(batch[0].batch_input_shape)
        model.aux_loss.get_targets(batch, size)
        aux_targets = t() - start
        start = t()
        aux = model.aux_loss(outputs['score_map'], batch)['loss_aux']
        aux_loss = t() - start - aux_targets  # the call above builds the targets again
        start = t()
        head = model.det_head.module_loss(head_out, batch)
        head_loss = t() - start
        start = t()
        (aux + sum(head.values())).backward()
        backward = t() - start
        model.zero_grad()
        if _:
            for key, value in zip(parts,
                                  (data, forward, aux_targets, aux_loss, head_loss, backward)):
                parts[key].append(value)
    return {key: statistics.median(values) for key, values in parts.items()}
