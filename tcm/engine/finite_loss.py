"""Stopping training on a NaN or infinite loss term before it reaches the weights."""
from typing import Any, Dict, Iterator, Tuple

import torch
import torch.distributed as dist
from mmengine.logging import MessageHub
from torch import Tensor, nn

STOPPED = 'training stopped before the optimizer step, the weights are unchanged'


def _loss_terms(losses: Dict[str, Any]) -> Iterator[Tuple[str, Tensor]]:
    for name, value in losses.items():
        if 'loss' in name:
            yield from ((name, item)
                        for item in (value if isinstance(value, (list, tuple)) else [value]))


def check_finite_losses(losses: Dict[str, Tensor], iteration: int) -> None:
    """Raise ``FloatingPointError`` naming the first loss term that is NaN or infinite."""
    for name, item in _loss_terms(losses):
        if not torch.isfinite(item).all():
            raise FloatingPointError(
                f'iteration {iteration}: {name} is {float(item.detach().float().mean())}; '
                f'{STOPPED}')


def _check_all_processes(losses: Dict[str, Tensor], iteration: int) -> None:
    """:func:`check_finite_losses` on every process at once: a process whose own losses are
    finite stops too, instead of waiting for the others in the gradient all-reduce."""
    terms = [item for _, item in _loss_terms(losses)]
    finite = all(bool(torch.isfinite(item).all()) for item in terms)
    flag = torch.tensor([float(finite)], device=terms[0].device if terms else 'cpu')
    dist.all_reduce(flag, op=dist.ReduceOp.MIN)
    check_finite_losses(losses, iteration)
    if not flag.item():
        raise FloatingPointError(f'iteration {iteration}: a loss term is not finite on another '
                                 f'process; {STOPPED}')


def _finite_loss_hook(module: nn.Module, args: Any, kwargs: Dict, output: Any) -> None:
    if kwargs.get('mode') != 'loss' or not isinstance(output, dict):
        return
    # MMEngine's RuntimeInfoHook publishes the iteration about to run
    iteration = MessageHub.get_current_instance().get_info('iter', 0) + 1
    if dist.is_available() and dist.is_initialized() and dist.get_world_size() > 1:
        _check_all_processes(output, iteration)
    else:
        check_finite_losses(output, iteration)


def guard_finite_losses(model: nn.Module) -> nn.Module:
    """Check every loss term ``model`` returns in ``mode='loss'`` (idempotent).

    A forward hook: it runs inside ``train_step`` right after the forward, before the
    losses are summed and the optimizer steps, for any MMEngine model. In a distributed run
    every process stops together.
    """
    if _finite_loss_hook not in model._forward_hooks.values():
        model.register_forward_hook(_finite_loss_hook, with_kwargs=True)
    return model
