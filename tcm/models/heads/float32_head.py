"""Heads that work under mixed precision: float32 outputs, float32 losses outside autocast.

MMOCR's post-processors read the head's maps with NumPy, which has no bfloat16, so CPU mixed
precision (``test_cfg.fp16=True``) fails there; CUDA autocast refuses ``binary_cross_entropy``
(FCENet's loss) outright, so ``--amp`` training fails there. Losses are also better summed in
float32 over whole maps.
"""
from typing import Any, Optional

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


def _device_type(value: Any) -> Optional[str]:
    """The device type of the first tensor in ``value`` (nested lists, tuples, dicts)."""
    if isinstance(value, Tensor):
        return value.device.type
    items = value.values() if isinstance(value, dict) else \
        value if isinstance(value, (list, tuple)) else ()
    for item in items:
        found = _device_type(item)
        if found:
            return found
    return None


def _float32_hook(module: nn.Module, args: Any, output: Any) -> Any:
    return _to_float32(output)


class _Float32Forward:
    """Replaces a loss module's ``forward``: the class's own forward, with half-precision
    arguments cast to float32 and autocast off. Picklable and deep-copyable with its module."""

    def __init__(self, module: nn.Module) -> None:
        self.module = module

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        args, kwargs = _to_float32(args), _to_float32(kwargs)
        device_type = _device_type((args, kwargs)) or 'cpu'
        with torch.autocast(device_type, enabled=False):
            return type(self.module).forward(self.module, *args, **kwargs)


def float32_loss(loss: Optional[nn.Module]) -> Optional[nn.Module]:
    """Make ``loss`` compute in float32 outside autocast (idempotent; None passes)."""
    if loss is not None and not isinstance(loss.__dict__.get('forward'), _Float32Forward):
        loss.forward = _Float32Forward(loss)
    return loss


def float32_head(detector: nn.Module) -> nn.Module:
    """Give ``detector.det_head`` (any MMOCR detector) float32 outputs and a float32 module
    loss under autocast (idempotent). Float32 and float64 tensors pass through unchanged."""
    head = getattr(detector, 'det_head', None)
    if head is None:
        return detector
    if _float32_hook not in head._forward_hooks.values():
        head.register_forward_hook(_float32_hook)
    float32_loss(getattr(head, 'module_loss', None))
    return detector
