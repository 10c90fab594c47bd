"""Float32 head outputs, so MMOCR's post-processors work under bfloat16 autocast."""
from typing import Any

import torch
from torch import Tensor, nn

HALF_TYPES = (torch.float16, torch.bfloat16)


def _to_float32(output: Any) -> Any:
    if isinstance(output, Tensor):
        return output.float() if output.dtype in HALF_TYPES else output
    if isinstance(output, tuple) and hasattr(output, '_fields'):  # named tuple
        return type(output)(*map(_to_float32, output))
    if isinstance(output, (list, tuple)):
        return type(output)(map(_to_float32, output))
    if isinstance(output, dict):
        return type(output)((key, _to_float32(value)) for key, value in output.items())
    return output


def _float32_hook(module: nn.Module, args: Any, output: Any) -> Any:
    return _to_float32(output)


def float32_head_outputs(detector: nn.Module) -> nn.Module:
    """Cast half-precision outputs of ``detector.det_head`` to float32 (idempotent, any
    MMOCR detector).

    MMOCR's post-processors read the head's maps with NumPy, which has no bfloat16, so CPU
    mixed precision (``test_cfg.fp16=True``) would fail there; losses are also better
    computed in float32. Float32 and float64 outputs pass through unchanged.
    """
    head = getattr(detector, 'det_head', None)
    if head is not None and _float32_hook not in head._forward_hooks.values():
        head.register_forward_hook(_float32_hook)
    return detector
