"""Timing text detectors built from configs, fairly: same input, interleaved runs, medians."""
import contextlib
import statistics
import time
from typing import Callable, Dict, List, Sequence

import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmocr.registry import MODELS
from mmocr.structures import TextDetDataSample
from torch import nn


def build_for_benchmark(config: str, device: str) -> nn.Module:
    """The config's model with random weights, in eval mode, on ``device``."""
    cfg = Config.fromfile(config)
    init_default_scope(cfg.get('default_scope', 'mmocr'))
    return MODELS.build(cfg.model).eval().to(device)


def dummy_batch(shape: Sequence[int], device: str):
    """A normalised ``(1, 3, H, W)`` input and the data sample the post-processor needs."""
    h, w = shape
    sample = TextDetDataSample(metainfo=dict(img_shape=(h, w), ori_shape=(h, w),
                                             scale_factor=(1.0, 1.0), batch_input_shape=(h, w)))
    return torch.randn(1, 3, h, w, device=device), [sample]


def _timed(fn: Callable[[], object], device: str) -> float:
    if device.startswith('cuda'):
        torch.cuda.synchronize()
    start = time.perf_counter()
    fn()
    if device.startswith('cuda'):
        torch.cuda.synchronize()
    return time.perf_counter() - start


def benchmark(configs: Sequence[str], shape: Sequence[int], runs: int = 10, warmup: int = 2,
              device: str = 'cpu', amp: bool = False) -> List[Dict]:
    """Median seconds per image of each config, model only and with post-processing.

    Configs are run interleaved (A B A B ...) so that machine noise hits all alike.
    """
    models = [build_for_benchmark(c, device) for c in configs]
    inputs, samples = dummy_batch(shape, device)
    autocast = (torch.autocast(device.split(':')[0], dtype=torch.float16 if device.startswith('cuda')
                               else torch.bfloat16) if amp else contextlib.nullcontext())
    steps = dict(model=lambda m: m(inputs, mode='tensor'),
                 postprocess=lambda m: m.predict(inputs, [s.clone() for s in samples]))
    times = {(i, k): [] for i in range(len(models)) for k in steps}
    with torch.no_grad(), autocast:
        for run in range(warmup + runs):
            for key, step in steps.items():
                for i, model in enumerate(models):
                    elapsed = _timed(lambda: step(model), device)
                    if run >= warmup:
                        times[(i, key)].append(elapsed)
    return [dict(config=config, **{key: statistics.median(times[(i, key)]) for key in steps})
            for i, config in enumerate(configs)]
