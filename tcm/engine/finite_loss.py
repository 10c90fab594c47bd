"""Stopping training on a NaN or infinite loss term before it reaches the weights."""
from typing import Any, Dict

import torch
from mmengine.logging import MessageHub
from torch import Tensor, nn


def check_finite_losses(losses: Dict[str, Tensor], iteration: int) -> None:
    """Raise ``FloatingPointError`` naming the first loss term that is NaN or infinite."""
    for name, value in losses.items():
        if 'loss' not in name:
            continue
        values = value if isinstance(value, (list, tuple)) else [value]
        for item in values:
            if not torch.isfinite(item).all():
                raise FloatingPointError(
                    f'iteration {iteration}: {name} is {float(item.detach().float().mean())}; '
                    'training stopped before the optimizer step, the weights are unchanged')


def _finite_loss_hook(module: nn.Module, args: Any, kwargs: Dict, output: Any) -> None:
    if kwargs.get('mode') == 'loss' and isinstance(output, dict):
        # MMEngine's RuntimeInfoHook publishes the iteration about to run
        check_finite_losses(output, MessageHub.get_current_instance().get_info('iter', 0) + 1)


def guard_finite_losses(model: nn.Module) -> nn.Module:
    """Check every loss term ``model`` returns in ``mode='loss'`` (idempotent).

    A forward hook: it runs inside ``train_step`` right after the forward, before the
    losses are summed and the optimizer steps, for any MMEngine model.
    """
    if _finite_loss_hook not in model._forward_hooks.values():
        model.register_forward_hook(_finite_loss_hook, with_kwargs=True)
    return model
