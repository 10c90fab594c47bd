"""Float32 head outputs, so MMOCR's post-processors work under bfloat16 autocast."""
from typing import Any

from torch import Tensor, nn


def _to_float32(output: Any) -> Any:
    if isinstance(output, Tensor):
        return output.float() if output.is_floating_point() else output
    if isinstance(output, (list, tuple)):
        return type(output)(_to_float32(item) for item in output)
    if isinstance(output, dict):
        return {key: _to_float32(value) for key, value in output.items()}
    return output


def float32_head_outputs(detector: nn.Module) -> nn.Module:
    """Cast what ``detector.det_head`` returns to float32 (idempotent, any MMOCR detector).

    MMOCR's post-processors read the head's maps with NumPy, which has no bfloat16, so CPU
    mixed precision (``--amp``, ``test_cfg.fp16=True``) would fail there; losses are also
    better computed in float32. In float32 runs the cast returns the same tensors.
    """
    head = getattr(detector, 'det_head', None)
    if head is not None and not getattr(head, 'float32_outputs', False):
        head.register_forward_hook(lambda module, args, output: _to_float32(output))
        head.float32_outputs = True
    return detector
