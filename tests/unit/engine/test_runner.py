"""TCMRunner's jobs, each behind one extension point: the finite-loss guard, model preparation."""
import copy

import pytest
import torch
from mmengine.logging import MessageHub
from mmengine.optim import OptimWrapper
from mmocr.registry import MODELS, RUNNERS

from tcm.engine import TCMRunner, guard_finite_losses
from tcm.engine.finite_loss import _finite_loss_hook

from builders import make_sample, small_toy_run, tiny_tcm_cfg


def batch():
    return dict(
        inputs=[torch.randint(0, 255, (3, 64, 64), dtype=torch.uint8) for _ in range(2)],
        data_samples=[make_sample(), make_sample()])


def test_guard_stops_a_non_finite_loss_before_the_step():
    torch.manual_seed(0)
    model = guard_finite_losses(
        MODELS.build(tiny_tcm_cfg(aux_loss=dict(type='TCMAuxLoss', tau=0.0))))
    guard_finite_losses(model)  # idempotent
    assert list(model._forward_hooks.values()).count(_finite_loss_hook) == 1
    optim_wrapper = OptimWrapper(torch.optim.SGD(model.parameters(), lr=0.1))
    before = copy.deepcopy(dict(model.named_parameters()))
    MessageHub.get_current_instance().update_info('iter', 4)
    with pytest.raises(
            FloatingPointError,
            match=r'iteration 5: loss_aux is nan; training '
            r'stopped before the optimizer step, the weights are unchanged'):
        model.train_step(batch(), optim_wrapper)
    after = dict(model.named_parameters())
    assert all(torch.equal(v, after[k]) for k, v in before.items())  # no step was taken


def test_guard_passes_finite_losses_and_other_modes():
    torch.manual_seed(0)
    model = guard_finite_losses(MODELS.build(tiny_tcm_cfg()))
    log_vars = model.train_step(batch(), OptimWrapper(torch.optim.SGD(model.parameters(), lr=0.1)))
    assert torch.isfinite(log_vars['loss'])
    model.eval()
    assert model.test_step(batch())[0].score_map.shape == (1, 2, 2)


def test_runner_prepares_and_guards_the_model_it_wraps(tmp_path):
    from tcm.utils.cli import build_runner, load_config
    _, config = small_toy_run(tmp_path, num_train=2, num_test=2, seed=3, batch_size=2, max_epochs=1)
    runner = build_runner(load_config(config, None, str(tmp_path / 'work'), 'none'))
    assert isinstance(runner, TCMRunner) and RUNNERS.get('SafeRunner') is TCMRunner
    assert _finite_loss_hook in runner.model._forward_hooks.values()
    head = runner.model.det_head
    assert len(head._forward_hooks) == 1  # float32 outputs
    assert head.module_loss.forward.module is head.module_loss  # float32 loss
