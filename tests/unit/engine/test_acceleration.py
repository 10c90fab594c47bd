"""The speed switches: same predictions and checkpoint keys, with NHWC weights or compiled."""
import copy

import pytest
import torch
from mmocr.registry import MODELS

from tcm.engine import apply_channels_last, compile_for_inference, prepare_for_inference

from builders import make_sample, small_toy_run, tiny_model_cfg, tiny_tcm_cfg


@pytest.fixture
def model():
    torch.manual_seed(0)
    return MODELS.build(tiny_tcm_cfg()).eval()


def outputs(model, inputs):
    with torch.no_grad():
        prob = model(inputs, mode='tensor')
        score = model.predict(inputs, [make_sample((96, 128))])[0].score_map
    return prob, score


def test_switches_are_off_unless_the_config_sets_them(model):
    reference = copy.deepcopy(model.state_dict())
    apply_channels_last(model, dict())
    compile_for_inference(model, dict(compile=False))
    assert model.backbone.conv1.weight.is_contiguous()
    assert all(getattr(child, '_compiled_call_impl', None) is None for child in model.children())
    assert all(torch.equal(v, model.state_dict()[k]) for k, v in reference.items())


def test_channels_last_keeps_predictions_keys_and_training(model):
    inputs = torch.randn(1, 3, 96, 128)
    expected = outputs(model, inputs)
    fast = apply_channels_last(copy.deepcopy(model), dict(channels_last=True))
    assert fast.backbone.conv1.weight.is_contiguous(memory_format=torch.channels_last)
    assert list(fast.state_dict()) == list(model.state_dict())
    for ours, theirs in zip(outputs(fast, inputs), expected):
        torch.testing.assert_close(ours, theirs, atol=1e-5, rtol=1e-5)
    fast.train()
    losses = fast.loss(torch.randn(2, 3, 64, 64), [make_sample(), make_sample()])
    sum(losses.values()).backward()
    assert fast.backbone.conv1.weight.grad.abs().sum() > 0


def test_compile_keeps_predictions_and_keys(model):
    inputs = torch.randn(1, 3, 96, 128)
    expected = outputs(model, inputs)
    fast = compile_for_inference(copy.deepcopy(model), dict(compile=True))
    compiled = fast.backbone._compiled_call_impl
    assert compiled is not None
    assert compile_for_inference(fast, dict(compile=True)).backbone._compiled_call_impl is compiled
    assert fast.data_preprocessor._compiled_call_impl is None
    assert list(fast.state_dict()) == list(model.state_dict())
    for ours, theirs in zip(outputs(fast, inputs), expected):
        torch.testing.assert_close(ours, theirs, atol=1e-5, rtol=1e-5)


@pytest.mark.parametrize('mode', ['reduce-overhead', 'max-autotune'])
def test_compile_modes_with_cuda_graphs_are_refused(model, mode):
    from tcm.utils.errors import InputError
    with pytest.raises(InputError, match=f"compile mode '{mode}' is not supported"):
        compile_for_inference(model, dict(compile=dict(mode=mode)))
    assert all(getattr(child, '_compiled_call_impl', None) is None for child in model.children())


def test_compile_option_of_the_wrong_type_is_refused(model):
    from tcm.utils.errors import InputError
    with pytest.raises(InputError, match="compile=\"{'mode': 'x'}\": expected True"):
        compile_for_inference(model, dict(compile="{'mode': 'x'}"))  # a string, as DictAction gives


def test_bfloat16_autocast_reaches_mmocr_post_processors(model):
    """NumPy has no bfloat16: float32 head outputs let any detector post-process under AMP."""
    baseline = MODELS.build(tiny_model_cfg('dbnet_clip-r50_fpnc_1200e_icdar2015.py')).eval()
    inputs = torch.randn(1, 3, 96, 128)
    with torch.no_grad(), torch.autocast('cpu', dtype=torch.bfloat16):
        for detector in (model, baseline):  # MMOCR's post-processor alone
            with pytest.raises(TypeError, match='BFloat16'):
                detector.predict(inputs, [make_sample((96, 128))])
        for detector in (model, baseline):
            prepare_for_inference(detector, dict())
            result = detector.predict(inputs, [make_sample((96, 128))])[0]
            assert result.pred_instances.scores.dtype == torch.float32


def test_channels_last_checkpoints_load_into_nchw_models(model):
    """Resuming or fine-tuning across the switch: the weights are the same numbers."""
    fast = apply_channels_last(copy.deepcopy(model), dict(channels_last=True))
    plain = MODELS.build(tiny_tcm_cfg()).eval()
    plain.load_state_dict(fast.state_dict())
    inputs = torch.randn(1, 3, 96, 128)
    for ours, theirs in zip(outputs(plain, inputs), outputs(model, inputs)):
        torch.testing.assert_close(ours, theirs)


def test_runner_converts_before_wrapping(tmp_path):
    from tcm.utils.cli import build_runner, load_config
    _, config = small_toy_run(tmp_path, num_train=2, num_test=2, seed=3, batch_size=2, max_epochs=1)
    cfg = load_config(config, dict(channels_last=True), str(tmp_path / 'work'), 'none')
    runner = build_runner(cfg)
    assert runner.model.backbone.conv1.weight.is_contiguous(memory_format=torch.channels_last)
    assert 'icdar/hmean' in runner.test()
