"""Timing text detectors and recognizers built from configs, fairly: same input, interleaved
runs, medians."""
import contextlib
import os.path as osp
import statistics
import tempfile
import time
from typing import Callable, Dict, List, Optional, Sequence, Tuple

import torch
from mmengine.config import Config
from mmocr.models.textrecog.recognizers import BaseRecognizer
from mmocr.structures import TextDetDataSample, TextRecogDataSample
from torch import nn

from ..engine import prepare_for_inference
from ..utils.configs import build_from_config
from ..utils.errors import InputError


def build_model(config: str,
                seed: int = 0,
                cfg_options: Optional[dict] = None) -> Tuple[nn.Module, Config]:
    """The model of ``config`` (a path, or ``package::path`` such as ``mmocr::textrecog/...``)
    with random weights drawn from ``seed`` (so that two configs that share their first
    modules, e.g. a recognizer with and without a branch, get the same weights there and
    decode alike), and the config (``cfg_options`` merged)."""
    torch.manual_seed(seed)
    return build_from_config(config, cfg_options)


def build_for_benchmark(config: str,
                        device: str,
                        channels_last: bool = False,
                        compile_network: bool = False,
                        cfg_options: Optional[dict] = None) -> Tuple[nn.Module, Config]:
    """The model in eval mode on ``device``, with the config's speed switches or those
    forced on by the arguments, and the config."""
    model, cfg = build_model(config, cfg_options=cfg_options)
    cfg.channels_last = channels_last or cfg.get('channels_last', False)
    cfg.compile = compile_network or cfg.get('compile', False)
    return prepare_for_inference(model.eval().to(device), cfg), cfg


def dummy_batch(shape: Sequence[int], device: str, batch_size: int = 1, recognizer: bool = False):
    """A normalised ``(batch_size, 3, H, W)`` input and the data samples that the
    post-processor needs (a detector's or a recognizer's)."""
    h, w = shape
    inputs = torch.randn(batch_size, 3, h, w, generator=torch.Generator().manual_seed(0))
    if recognizer:
        meta = dict(img_shape=(h, w), ori_shape=(h, w), valid_ratio=1.0)
        samples = [TextRecogDataSample(metainfo=meta) for _ in range(batch_size)]
    else:
        meta = dict(
            img_shape=(h, w), ori_shape=(h, w), scale_factor=(1.0, 1.0), batch_input_shape=(h, w))
        samples = [TextDetDataSample(metainfo=meta) for _ in range(batch_size)]
    return inputs.to(device), samples


def recognizer_input_shape(cfg: Config) -> Tuple[int, int]:
    """``(H, W)`` that a recognizer's test pipeline resizes its crops to (its ``Resize``)."""
    for step in cfg.get('test_pipeline', []):
        if step.get('type') == 'Resize' and step.get('scale') is not None:
            w, h = step['scale']
            return h, w
    raise InputError(f'{cfg.filename}: no Resize with a fixed scale in test_pipeline; '
                     'give the input size with --shape H W')


def timed(fn: Callable[[], object], device: str) -> float:
    """Seconds ``fn`` takes, CUDA synchronised before and after."""
    if device.startswith('cuda'):
        torch.cuda.synchronize()
    start = time.perf_counter()
    fn()
    if device.startswith('cuda'):
        torch.cuda.synchronize()
    return time.perf_counter() - start


def benchmark(
    configs: Sequence[str],
    shape: Optional[Sequence[int]],
    runs: int = 10,
    warmup: int = 2,
    device: str = 'cpu',
    amp: bool = False,
    channels_last: bool = False,
    compile_network: bool = False,
    amp_dtype: Optional[str] = None,
    batch_size: int = 1,
    cfg_options: Optional[dict] = None,
    backends: Sequence[str] = ('pytorch', )) -> List[Dict]:
    """Median seconds per batch of each config, model only and with post-processing, and the
    input size each ran at.

    Configs are run interleaved (A B A B ...) so that machine noise hits all alike; they are
    all detectors or all recognizers. ``shape`` ``(H, W)`` is required for detectors; a
    recognizer without it reads crops of its test pipeline's size. ``amp_dtype``
    ('float16' or 'bfloat16') defaults to float16 on CUDA and bfloat16 elsewhere. On CUDA,
    cuDNN picks its fastest kernels for the one input shape (the warm-up runs pay for it).
    ``cfg_options`` are merged into every config. Each config runs on each of ``backends``
    ('pytorch', 'onnxruntime': the same random network exported to ONNX at ``shape``), one
    result per pair, configs first.
    """
    if device.startswith('cuda'):
        torch.backends.cudnn.benchmark = True
    pairs = [(c, b) for c in configs for b in backends]
    with tempfile.TemporaryDirectory() as folder:  # the ONNX files, while their sessions load
        built = [
            _build(c, b, device, channels_last, compile_network, cfg_options, shape,
                   osp.join(folder, f'{i}.onnx')) for i, (c, b) in enumerate(pairs)
        ]
    models = [model for model, _ in built]
    kinds = {isinstance(model, BaseRecognizer) for model in models}
    if len(kinds) > 1:
        raise InputError('benchmark detectors and recognizers in separate runs: ' +
                         ', '.join(configs))
    recognizer = kinds.pop()
    if not recognizer and (shape is None or shape[0] % 32 or shape[1] % 32):
        raise InputError('detectors need an input size (--shape H W) divisible by 32' +
                         (f', not {shape[0]}x{shape[1]}' if shape is not None else ''))
    shapes = [tuple(shape) if shape else recognizer_input_shape(cfg) for _, cfg in built]
    batches = {s: dummy_batch(s, device, batch_size, recognizer) for s in set(shapes)}
    amp_dtype = amp_dtype or ('float16' if device.startswith('cuda') else 'bfloat16')
    autocast = (
        torch.autocast(device.split(':')[0], dtype=getattr(torch, amp_dtype))
        if amp else contextlib.nullcontext())
    steps = dict(
        model=lambda m, x, samples: m(x, mode='tensor'),
        postprocess=lambda m, x, samples: m.predict(x, [s.clone() for s in samples]))
    times = {(i, k): [] for i in range(len(models)) for k in steps}
    with torch.no_grad(), autocast:
        for run in range(warmup + runs):
            for key, step in steps.items():
                for i, model in enumerate(models):
                    inputs, samples = batches[shapes[i]]
                    elapsed = timed(lambda: step(model, inputs, samples), device)
                    if run >= warmup:
                        times[(i, key)].append(elapsed)
    return [
        dict(
            config=config,
            backend=backend,
            shape=shapes[i],
            recognizer=recognizer,
            **{key: statistics.median(times[(i, key)])
               for key in steps}) for i, (config, backend) in enumerate(pairs)
    ]


def _build(config: str, backend: str, device: str, channels_last: bool, compile_network: bool,
           cfg_options: Optional[dict], shape: Optional[Sequence[int]], onnx_file: str):
    """The model of ``config`` on ``backend`` (ONNX Runtime's exported to ``onnx_file``), and
    the config."""
    if backend == 'pytorch':
        return build_for_benchmark(config, device, channels_last, compile_network, cfg_options)
    if backend != 'onnxruntime':
        raise InputError(f'unknown backend {backend!r}: pytorch or onnxruntime')
    if shape is None or shape[0] % 32 or shape[1] % 32:
        raise InputError('the onnxruntime backend times detectors: give --shape H W divisible '
                         'by 32')
    from ..deployment import build_onnxruntime_detector, export_onnx
    model, cfg = build_model(config, cfg_options=cfg_options)
    export_onnx(model, onnx_file, tuple(shape))
    return build_onnxruntime_detector(cfg, onnx_file, device).eval(), cfg
