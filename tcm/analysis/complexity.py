"""Parameters and FLOPs of any config's network (the paper's Table 10 columns).

FLOPs follow fvcore's convention, which MMEngine's counter uses: one multiply-add counts as one
FLOP, over the tensor-mode forward (backbone, TCM, neck, head; no post-processing) of one
image, including the matrix products of ``scaled_dot_product_attention``, which the counter
does not know (TCM's dense attention pool and visual prompt generator: 5.0 G of TCM-DBNet's
multiply-adds at 736x1312). Parameters are counted three ways, since TCM's text tower is frozen:
all, trainable, and frozen.
"""
import logging
from math import prod
from typing import Any, Dict, List, Optional, Tuple

import torch
from torch import nn


def parameter_counts(model: nn.Module) -> Dict[str, int]:
    """``all``, ``trainable`` (``requires_grad``) and ``frozen`` parameter counts."""
    total = sum(p.numel() for p in model.parameters())
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    return dict(all=total, trainable=trainable, frozen=total - trainable)


def attention_flops(inputs: List[Any], outputs: List[Any]) -> int:
    """Multiply-adds of ``softmax(q k^T) v`` for ``q (..., Lq, d)``, ``k (..., Lk, d)``,
    ``v (..., Lk, dv)``: ``Lq Lk (d + dv)`` per batch and head (the softmax not counted, as
    the counter leaves out element-wise work)."""
    from mmengine.analysis.jit_handles import get_shape
    q, k, v = (get_shape(value) for value in inputs[:3])
    return prod(q[:-1]) * k[-2] * (q[-1] + v[-1])


@torch.no_grad()
def complexity(config: str,
               shape: Tuple[int, int],
               cfg_options: Optional[dict] = None) -> Dict[str, float]:
    """FLOPs and parameters of ``config``'s network on one ``1 x 3 x H x W`` input."""
    from mmengine.analysis import FlopAnalyzer

    from ..utils.configs import build_from_config
    from ..utils.errors import InputError
    if shape[0] % 32 or shape[1] % 32:
        raise InputError(f'--shape {shape[0]} {shape[1]}: not divisible by 32')
    model, _ = build_from_config(config, cfg_options)
    model.eval()
    analyzer = FlopAnalyzer(model, inputs=(torch.randn(1, 3, *shape), ))
    analyzer.set_op_handle('aten::scaled_dot_product_attention', attention_flops)
    analyzer.unsupported_ops_warnings(False).uncalled_modules_warnings(False)
    mmengine_logger = logging.getLogger('mmengine')
    level = mmengine_logger.level
    mmengine_logger.setLevel(logging.ERROR)  # the tracer's notes on ops without FLOPs
    try:
        flops = analyzer.total()
    finally:
        mmengine_logger.setLevel(level)
    return dict(flops=float(flops), **parameter_counts(model))
