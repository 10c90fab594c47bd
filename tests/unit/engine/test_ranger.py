"""Ranger: RAdam + gradient centralization + Lookahead, and its use through MMEngine."""
import pytest
import torch
from mmengine.optim import build_optim_wrapper
from torch import nn

from tcm.engine import Ranger


def test_first_step_is_a_momentum_step_on_the_centralized_gradient():
    w = nn.Parameter(torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]))
    w.grad = torch.tensor([[1.0, 2.0, 6.0], [0.0, 0.0, 3.0]])
    Ranger([w], lr=0.1).step()
    centred = torch.tensor([[-2.0, -1.0, 3.0], [-1.0, -1.0, 2.0]])
    # RAdam's first steps are un-rectified: exp_avg / (1 - beta1) = the gradient itself.
    torch.testing.assert_close(w.data, torch.tensor([[1., 2., 3.], [4., 5., 6.]]) - 0.1 * centred)


def test_vectors_are_not_centralized():
    b = nn.Parameter(torch.tensor([1.0, 2.0]))
    b.grad = torch.tensor([1.0, 3.0])
    Ranger([b], lr=0.1).step()
    torch.testing.assert_close(b.data, torch.tensor([0.9, 1.7]))


def test_lookahead_pulls_back_to_the_slow_weights_every_k_steps():
    w = nn.Parameter(torch.tensor([0.0]))
    opt = Ranger([w], lr=0.1, k=3, alpha=0.5)
    for step in range(3):
        w.grad = torch.tensor([-1.0])
        before = w.item()
        opt.step()
        if step < 2:
            assert w.item() > before
    # After step 3 the weight is halfway between the start (0) and the fast weight.
    fast = 0.1 * 3  # three un-rectified steps of size lr on gradient -1
    assert w.item() == pytest.approx(0.5 * fast, rel=1e-5)


def test_converges_on_a_quadratic():
    torch.manual_seed(0)
    target = torch.randn(4, 3)
    w = nn.Parameter(torch.zeros(4, 3))
    opt = Ranger([w], lr=0.1, use_gc=False)
    for _ in range(1000):
        opt.zero_grad()
        ((w - target)**2).sum().backward()
        opt.step()
    torch.testing.assert_close(w.data, target, atol=1e-2, rtol=0)


def test_built_by_mmengine_with_tcm_learning_rate_multipliers():
    model = nn.ModuleDict(
        dict(backbone=nn.Linear(2, 2), text_encoder=nn.Linear(2, 2), neck=nn.Linear(2, 2)))
    wrapper = build_optim_wrapper(
        model,
        dict(
            type='OptimWrapper',
            optimizer=dict(type='Ranger', lr=1e-3),
            paramwise_cfg=dict(
                custom_keys=dict(backbone=dict(lr_mult=0.1), text_encoder=dict(lr_mult=0.0)))))
    assert isinstance(wrapper.optimizer, Ranger)
    lrs = sorted({round(group['lr'], 8) for group in wrapper.optimizer.param_groups})
    assert lrs == [0.0, 1e-4, 1e-3]


def test_bad_arguments():
    with pytest.raises(ValueError, match='alpha=2'):
        Ranger([nn.Parameter(torch.zeros(1))], alpha=2)
