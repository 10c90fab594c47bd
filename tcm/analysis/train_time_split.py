"""Where one training iteration's time goes: data pipeline, forward, TCM's auxiliary loss,
the head's loss and backward, on synthetic images with text boxes."""
import copy
import inspect
import os
import statistics
import tempfile
import time
from typing import Dict, Sequence

import cv2
import numpy as np
import torch
from mmengine.config import Config
from mmengine.dataset import Compose
from mmengine.registry import init_default_scope
from mmengine.structures import InstanceData
from mmocr.structures import TextDetDataSample

from ..utils.errors import InputError
from .benchmark import build_model


def synthetic_batch(batch_size: int, shape: Sequence[int], instances: int = 20, seed: int = 0):
    """``batch_size`` normalised images with ``instances`` random rotated text quads each."""
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
    model = build_model(config)[0].train()  # as trained: no inference switches
    if not hasattr(model, 'encode') or model.aux_loss is None:
        raise InputError(f'{config}: the time split is for TCM configs (TCMDetector with aux_loss)')
    inputs, samples = synthetic_batch(batch_size, shape)
    parts = {k: [] for k in ('data', 'forward', 'aux_targets', 'aux_loss', 'head_loss', 'backward')}
    head = model.det_head
    head_takes_mode = 'mode' in inspect.signature(head.forward).parameters  # DBHead's
    for run in range(runs + 1):
        data = pipeline_seconds(config, batch_size)
        batch = copy.deepcopy(samples)
        t = time.perf_counter
        start = t()
        levels, outputs = model.encode(inputs)
        features = model.neck_features(levels)
        head_out = head(features, batch, mode='loss') if head_takes_mode else head(features, batch)
        forward = t() - start
        start = t()
        size = tuple(batch[0].batch_input_shape)
        model.aux_loss.get_targets(batch, size)
        aux_targets = t() - start
        start = t()
        aux = model.aux_loss(outputs['score_map'], batch)['loss_aux']
        aux_loss = t() - start - aux_targets  # the call above builds the targets again
        start = t()
        head_losses = head.module_loss(head_out, batch)
        head_loss = t() - start
        start = t()
        (aux + sum(head_losses.values())).backward()
        backward = t() - start
        model.zero_grad()
        if run:  # the first run warms up
            for key, value in zip(parts,
                                  (data, forward, aux_targets, aux_loss, head_loss, backward)):
                parts[key].append(value)
    return {key: statistics.median(values) for key, values in parts.items()}
