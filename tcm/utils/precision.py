"""Mixed precision that reaches MMOCR's heads: float32 outputs, float32 losses outside autocast.

MMOCR's post-processors read a head's maps with NumPy, which has no bfloat16, so CPU mixed
precision (``test_cfg.fp16=True``) fails there; CUDA autocast refuses ``binary_cross_entropy``
(FCENet's loss) outright, so ``--amp`` training fails there. Losses are also better summed in
float32 over whole maps. :func:`float32_head` fixes both for a detector's ``det_head`` and a
recognizer's ``decoder`` alike; ``tcm.engine.prepare_model`` is what applies it.
"""
from typing import Any, Callable, Optional, Sequence

import torch
from torch import Tensor, nn

HALF_TYPES = (torch.float16, torch.bfloat16)

#: Where MMOCR models keep the module whose outputs are post-processed (detectors, recognizers).
HEAD_ATTRIBUTES = ('det_head', 'decoder')

#: Heads run wholly in float32 under autocast: DRRG's graph reasoning crops features with
#: mmcv's rotated RoI Align, which has no half-precision CPU kernel.
FLOAT32_HEADS = ('DRRGHead', )


def to_float32(value: Any) -> Any:
    """``value`` with its half-precision tensors (nested in tuples, lists, dicts) in float32."""
    if isinstance(value, Tensor):
        return value.float() if value.dtype in HALF_TYPES else value
    if isinstance(value, tuple) and hasattr(value, '_fields'):  # named tuple
        return type(value)(*map(to_float32, value))
    if isinstance(value, (list, tuple)):
        return type(value)(map(to_float32, value))
    if isinstance(value, dict):
        return type(value)((key, to_float32(item)) for key, item in value.items())
    return value


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


def run_in_float32(fn: Callable, *args: Any, **kwargs: Any) -> Any:
    """``fn(*args, **kwargs)`` with half-precision arguments in float32 and autocast off."""
    args, kwargs = to_float32(args), to_float32(kwargs)
    with torch.autocast(_device_type((args, kwargs)) or 'cpu', enabled=False):
        return fn(*args, **kwargs)


def _float32_hook(module: nn.Module, args: Any, output: Any) -> Any:
    return to_float32(output)


class _Float32Forward:
    """Replaces a module's ``forward`` (or another ``method``) by the class's own, run in
    float32 (a forward hook cannot turn autocast off around the call). Picklable and
    deep-copyable with its module; parameter names do not change."""

    def __init__(self, module: nn.Module, method: str = 'forward') -> None:
        self.module, self.method = module, method

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return run_in_float32(getattr(type(self.module), self.method), self.module, *args, **kwargs)


def float32_outputs(module: nn.Module) -> nn.Module:
    """Make ``module`` return float32 where it would return half precision (idempotent)."""
    if _float32_hook not in module._forward_hooks.values():
        module.register_forward_hook(_float32_hook)
    return module


def float32_loss(loss: Optional[nn.Module]) -> Optional[nn.Module]:
    """Make ``loss`` compute in float32 outside autocast (idempotent; None passes)."""
    if loss is not None and not isinstance(loss.__dict__.get('forward'), _Float32Forward):
        loss.forward = _Float32Forward(loss)
    return loss


def float32_head(model: nn.Module, attributes: Sequence[str] = HEAD_ATTRIBUTES) -> nn.Module:
    """Give the head of any MMOCR model (``det_head``, or a recognizer's ``decoder``) float32
    outputs and a float32 ``module_loss`` under autocast (idempotent); the heads named in
    :data:`FLOAT32_HEADS` run in float32 altogether. Float32 and float64 tensors pass through
    unchanged."""
    for name in attributes:
        head = getattr(model, name, None)
        if isinstance(head, nn.Module):
            float32_outputs(head)
            float32_loss(getattr(head, 'module_loss', None))
            if type(head).__name__ in FLOAT32_HEADS:
                for method in ('forward', 'loss'):
                    if not isinstance(head.__dict__.get(method), _Float32Forward):
                        setattr(head, method, _Float32Forward(head, method))
    return model
