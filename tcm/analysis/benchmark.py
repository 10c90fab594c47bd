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

from ..engine import prepare_for_inference


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
