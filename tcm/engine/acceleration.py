"""Readying any MMOCR model to run under its config: mixed precision, NHWC weights, compile.

Both keep the outputs (to float rounding) and the checkpoint keys, and apply to any MMOCR
detector, so a TCM model and its baseline are sped up alike:

- ``channels_last = True``: 4-D weights in NHWC, which oneDNN and cuDNN convolve faster
  (training and inference).
- ``compile = True`` (or a dict of ``torch.compile`` options): MMEngine compiles the
  training step; tcm also compiles the network (not the post-processor) for testing and
  inference. The first image of each new size pays the compilation (tens of seconds).

:func:`prepare_model` applies them, and is also the one place that gives the model's head
float32 outputs and losses under mixed precision (``tcm.utils.precision``); tcm's runner and
its inference API call it.
"""
from typing import Union

import torch
from mmengine.config import Config, ConfigDict
from mmengine.model import BaseDataPreprocessor
from torch import nn

from ..utils.errors import InputError
from ..utils.precision import float32_head

# torch.compile modes that replay CUDA graphs (reduce-overhead; max-autotune turns them on too)
CUDA_GRAPH_MODES = ('reduce-overhead', 'max-autotune')


def prepare_model(model: nn.Module,
                  cfg: Union[Config, ConfigDict, dict],
                  inference: bool = False) -> nn.Module:
    """Give ``model``'s head (a detector's ``det_head``, a recognizer's ``decoder``) float32
    outputs and losses under autocast, put its weights in NHWC with ``channels_last``, and,
    for ``inference``, compile it with ``compile`` (the cast first, so that a compiled head
    includes it)."""
    float32_head(model)
    apply_channels_last(model, cfg)
    return compile_for_inference(model, cfg) if inference else model


def prepare_for_inference(model: nn.Module, cfg: Union[Config, ConfigDict, dict]) -> nn.Module:
    """:func:`prepare_model` for a model about to predict."""
    return prepare_model(model, cfg, inference=True)


def apply_channels_last(model: nn.Module, cfg: Union[Config, ConfigDict, dict]) -> nn.Module:
    """Put ``model``'s 4-D weights in NHWC when ``cfg`` sets ``channels_last``."""
    if cfg.get('channels_last', False):
        model.to(memory_format=torch.channels_last)
    return model


def compile_for_inference(model: nn.Module, cfg: Union[Config, ConfigDict, dict]) -> nn.Module:
    """Compile, in place, each network part of a detector when ``cfg`` sets ``compile``.

    The parts (backbone, neck, head, TCM's towers and decoders) are compiled one by one
    with ``nn.Module.compile``, which leaves parameter names unchanged; the Python glue,
    the data preprocessor and the post-processing stay eager.
    """
    options = cfg.get('compile', False)
    if not options:
        return model
    if options is not True and not isinstance(options, dict):
        raise InputError(f'compile={options!r}: expected True, False or a dict of torch.compile '
                         "options (e.g. --cfg-options compile.mode=max-autotune-no-cudagraphs)")
    options = {} if options is True else dict(options)
    if options.get('mode') in CUDA_GRAPH_MODES:
        raise InputError(
            f"compile mode {options['mode']!r} is not supported for inference: it records CUDA "
            "graphs, and each compiled part's call starts a new graph step that overwrites the "
            "outputs of the parts before it (seen on an H200); use the default mode or "
            "'max-autotune-no-cudagraphs'")
    for child in model.children():
        already = getattr(child, '_compiled_call_impl', None) is not None
        if not isinstance(child, BaseDataPreprocessor) and not already:  # keep its caches
            child.compile(**options)
    return model
