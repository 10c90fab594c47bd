"""Ranger (RAdam + Lookahead + gradient centralization), the optimizer of TCM's MSRA-TD500 runs.

No maintained package provides the 2020.9.4 variant TCM used (torch-optimizer's
Ranger lacks gradient centralization), so it is implemented here and registered
for MMEngine (``optim_wrapper = dict(optimizer=dict(type='Ranger', lr=1e-3))``).
"""
import math
from typing import Callable, Iterable, Optional, Tuple

import torch
from mmocr.registry import OPTIMIZERS
from torch.optim import Optimizer

from ...utils.errors import InputError


@OPTIMIZERS.register_module()
class Ranger(Optimizer):
    """RAdam steps, gradients centralized per output channel, Lookahead every ``k`` steps.

    Args:
        params: Parameters or parameter groups.
        lr: Learning rate.
        alpha: Lookahead interpolation toward the fast weights.
        k: Lookahead period in steps.
        n_sma_threshold: RAdam's variance-rectification threshold; below it the
            step is plain momentum.
        betas, eps: Adam moments and denominator epsilon.
        weight_decay: Coupled (L2) weight decay, added to the update.
        use_gc: Centralize gradients of parameters with more than one dimension
            (``gc_conv_only``: more than three, i.e. convolutions only).
    """

    def __init__(self,
                 params: Iterable,
                 lr: float = 1e-3,
                 alpha: float = 0.5,
                 k: int = 6,
                 n_sma_threshold: float = 5,
                 betas: Tuple[float, float] = (0.95, 0.999),
                 eps: float = 1e-5,
                 weight_decay: float = 0,
                 use_gc: bool = True,
                 gc_conv_only: bool = False) -> None:
        if not 0.0 <= alpha <= 1.0:
            raise InputError(f'Ranger: alpha={alpha} is outside [0, 1]')
        if k < 1:
            raise InputError(f'Ranger: k={k} must be at least 1')
        if lr <= 0 or eps <= 0:
            raise InputError(f'Ranger: lr={lr} and eps={eps} must be positive')
        defaults = dict(
            lr=lr,
            alpha=alpha,
            k=k,
            n_sma_threshold=n_sma_threshold,
            betas=betas,
            eps=eps,
            weight_decay=weight_decay)
        super().__init__(params, defaults)
        self.gc_min_dim = (3 if gc_conv_only else 1) if use_gc else None

    @torch.no_grad()
    def step(self, closure: Optional[Callable] = None) -> Optional[float]:
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        for group in self.param_groups:
            beta1, beta2 = group['betas']
            for p in group['params']:
                if p.grad is None:
                    continue
                if p.grad.is_sparse:
                    raise RuntimeError('Ranger does not support sparse gradients')
                grad = p.grad.float()
                if self.gc_min_dim is not None and grad.dim() > self.gc_min_dim:
                    grad = grad - grad.mean(dim=tuple(range(1, grad.dim())), keepdim=True)
                weight = p.float()
                state = self.state[p]
                if not state:
                    state['step'] = 0
                    state['exp_avg'] = torch.zeros_like(weight)
                    state['exp_avg_sq'] = torch.zeros_like(weight)
                    state['slow_buffer'] = p.detach().clone()
                state['step'] += 1
                t = state['step']
                exp_avg, exp_avg_sq = state['exp_avg'], state['exp_avg_sq']
                exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
                exp_avg.mul_(beta1).add_(grad, alpha=1 - beta1)

                beta2_t = beta2**t
                n_sma_max = 2 / (1 - beta2) - 1
                n_sma = n_sma_max - 2 * t * beta2_t / (1 - beta2_t)
                if n_sma > group['n_sma_threshold']:
                    step_size = math.sqrt(
                        (1 - beta2_t) * (n_sma - 4) / (n_sma_max - 4) *
                        (n_sma - 2) / n_sma * n_sma_max / (n_sma_max - 2)) / (1 - beta1**t)
                    update = exp_avg / exp_avg_sq.sqrt().add_(group['eps'])
                else:
                    step_size = 1.0 / (1 - beta1**t)
                    update = exp_avg.clone()
                if group['weight_decay']:
                    update.add_(weight, alpha=group['weight_decay'])
                p.copy_(weight.add_(update, alpha=-step_size * group['lr']))

                if t % group['k'] == 0:
                    slow = state['slow_buffer']
                    slow.add_(p - slow, alpha=group['alpha'])
                    p.copy_(slow)
        return loss
