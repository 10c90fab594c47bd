"""Converting checkpoints of the original TCM: key mapping, variants, parity of outputs, bad input."""
import argparse
import importlib.util
import os
import os.path as osp
from collections import OrderedDict

import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmocr.registry import MODELS

from tcm.models.tcm import LEGACY_RENAMES

from builders import ROOT, tiny_model_cfg

CONFIG = osp.join(ROOT, 'configs/tcm/dbnet/tcm-dbnet_clip-tiny_fpnc_toy.py')
spec = importlib.util.spec_from_file_location('convert_tool',
                                              osp.join(ROOT, 'tools/convert_legacy_ckpt.py'))
convert_tool = importlib.util.module_from_spec(spec)
spec.loader.exec_module(convert_tool)


def perturbed(model_cfg, seed=0):
    """A model whose every tensor is far from its init, so a wrong mapping shows in outputs."""
    torch.manual_seed(seed)
    model = MODELS.build(model_cfg)
    with torch.no_grad():
        for name, tensor in model.state_dict().items():
            if tensor.is_floating_point():
                tensor.add_(torch.randn_like(tensor) * 0.05)
                if 'running_var' in name:
                    tensor.abs_().add_(0.5)
    return model.eval()


def tiny_model(num_prompts=4, resolution=256):
    cfg = Config.fromfile(CONFIG)
    cfg.model.num_prompts = num_prompts
    cfg.model.backbone.input_resolution = resolution
    return perturbed(cfg.model, num_prompts + resolution)


def legacy_layout(model, wrapped=True, prefix=''):
    """What the original code saved: ``bbox_head.`` keys, mmcv's meta with numpy values."""
    state = OrderedDict()
    for key, value in model.state_dict().items():
        for old, new in LEGACY_RENAMES:
            if key.startswith(new):
                key = old + key[len(new):]
        state[prefix + key] = value.clone()
    if not wrapped:
        return state
    meta = dict(
        exp_name='clip_db_r50_fpnc_prompt_gen_vis_1200e_ft_gen_ic15_adam_taiji.py',
        config='model = dict(...)',
        CLASSES=('text', ),
        epoch=1200,
        hook_msgs=dict(best_score=np.float64(0.888), last_ckpt='epoch_1200.pth'))
    return dict(meta=meta, state_dict=state, optimizer=dict(state={}, param_groups=[]))


def convert(*args):
    try:
        convert_tool.main([str(a) for a in args])
    except SystemExit as exc:
        return str(exc.code)
    return None


@pytest.mark.parametrize('num_prompts,resolution', [(4, 256), (18, 736), (32, 800)])
def test_round_trip_gives_identical_outputs(tmp_path, num_prompts, resolution):
    model = tiny_model(num_prompts, resolution)
    legacy, out = tmp_path / 'legacy.pth', tmp_path / 'tcm.pth'
    torch.save(legacy_layout(model), legacy)
    options = [f'model.num_prompts={num_prompts}', f'model.backbone.input_resolution={resolution}']
    assert convert(legacy, out, '--config', CONFIG, '--cfg-options', *options) is None
    converted = torch.load(out, weights_only=True)
    assert converted['meta']['converted_from'] == 'legacy.pth'
    fresh = tiny_model(num_prompts, resolution)
    fresh.load_state_dict(converted['state_dict'], strict=True)
    x = torch.randn(1, 3, 96, 160)  # not the training size: the grid is interpolated
    with torch.no_grad():
        torch.testing.assert_close(fresh(x, mode='tensor'), model(x, mode='tensor'), rtol=0, atol=0)
        torch.testing.assert_close(
            fresh.predict_score_map(x), model.predict_score_map(x), rtol=0, atol=0)


def test_bare_state_dict_with_module_prefix(tmp_path):
    model = tiny_model()
    legacy, out = tmp_path / 'bare.pth', tmp_path / 'out.pth'
    torch.save(legacy_layout(model, wrapped=False, prefix='module.'), legacy)
    assert convert(legacy, out, '--config', CONFIG) is None
    state = torch.load(out, weights_only=True)['state_dict']
    assert 'det_head.binarize.0.weight' in state and not any(
        k.startswith('bbox_head') for k in state)


def test_variant_mismatch_names_config_value_and_shape(tmp_path):
    legacy, out = tmp_path / 'legacy.pth', tmp_path / 'out.pth'
    torch.save(legacy_layout(tiny_model(18)), legacy)
    error = convert(legacy, out, '--config', CONFIG)
    assert 'model.num_prompts=4 does not fit' in error and '(1, 18, 64)' in error
    assert not out.exists()
    torch.save(legacy_layout(tiny_model(4, 320)), legacy)
    error = convert(legacy, out, '--config', CONFIG)
    assert 'model.backbone.input_resolution=256' in error and '(101, 512)' in error


@pytest.fixture
def legacy_file(tmp_path):
    path = tmp_path / 'legacy.pth'
    torch.save(legacy_layout(tiny_model()), path)
    return path


def check_refused(tmp_path, legacy, expected, *extra):
    out = tmp_path / 'refused.pth'
    error = convert(legacy, out, '--config', CONFIG, *extra)
    assert error is not None and expected in error, error
    assert '\n' not in error
    assert not out.exists() and not [f for f in os.listdir(tmp_path) if f.startswith('.refused')]


def test_missing_file(tmp_path):
    check_refused(tmp_path, tmp_path / 'nope.pth', 'no such file')


def test_truncated_file(tmp_path, legacy_file):
    cut = tmp_path / 'cut.pth'
    cut.write_bytes(legacy_file.read_bytes()[:4096])
    check_refused(tmp_path, cut, 'not a readable PyTorch checkpoint')


def test_not_a_checkpoint(tmp_path):
    text = tmp_path / 'notes.pth'
    text.write_text('hello')
    check_refused(tmp_path, text, 'not a readable PyTorch checkpoint')


def test_checkpoint_of_another_model(tmp_path):
    dbnet = MODELS.build(
        dict(
            type='DBNet',
            backbone=dict(type='mmdet.ResNet', depth=18, norm_eval=False, style='caffe'),
            neck=dict(type='FPNC', in_channels=[64, 128, 256, 512], lateral_channels=32),
            det_head=dict(type='DBHead', in_channels=32)))
    path = tmp_path / 'dbnet.pth'
    torch.save(dict(state_dict=dbnet.state_dict()), path)
    check_refused(tmp_path, path, 'not a TCM checkpoint')


def test_arbitrary_objects_need_unsafe_load(tmp_path, legacy_file):
    checkpoint = torch.load(legacy_file, weights_only=True)
    checkpoint['meta']['args'] = argparse.Namespace(work_dir='x')  # a pickled class
    path = tmp_path / 'pickled.pth'
    torch.save(checkpoint, path)
    check_refused(tmp_path, path, 'would unpickle arbitrary objects (argparse.Namespace)')
    assert convert(path, tmp_path / 'ok.pth', '--config', CONFIG, '--unsafe-load') is None


def test_existing_output_needs_force(tmp_path, legacy_file):
    out = tmp_path / 'out.pth'
    out.write_bytes(b'keep me')
    assert 'exists; pass --force' in convert(legacy_file, out, '--config', CONFIG)
    assert out.read_bytes() == b'keep me'
    assert convert(legacy_file, out, '--config', CONFIG, '--force') is None
    assert 'state_dict' in torch.load(out, weights_only=True)


@pytest.mark.parametrize(
    'family,head_key', [
        ('tcm-fcenet_clip-r50_fpn_1500e_icdar2015.py', 'bbox_head.out_conv_cls.weight'),
        ('tcm-panet_clip-r50_fpem-ffm_1200e_icdar2015.py', 'bbox_head.out_conv.weight'),
    ],
    ids=['fcenet', 'panet'])
def test_legacy_fcenet_and_panet_checkpoints(tmp_path, family, head_key):
    model_cfg = tiny_model_cfg(family)
    family = family.split('_')[0]
    config = tmp_path / f'{family}.py'
    config.write_text(f"default_scope = 'mmocr'\ncustom_imports = dict(imports=['tcm'])\n"
                      f"model = {model_cfg!r}\n")
    model = perturbed(model_cfg)
    legacy = legacy_layout(model)
    assert head_key in legacy['state_dict']
    torch.save(legacy, tmp_path / 'legacy.pth')
    out = tmp_path / 'tcm.pth'
    assert convert(tmp_path / 'legacy.pth', out, '--config', config) is None
    fresh = MODELS.build(model_cfg).eval()
    fresh.load_state_dict(torch.load(out, weights_only=True)['state_dict'], strict=True)
    x = torch.randn(1, 3, 96, 128)
    with torch.no_grad():
        expected, got = model(x, mode='tensor'), fresh(x, mode='tensor')
    for a, b in zip(
            expected if isinstance(expected, list) else [expected],
            got if isinstance(got, list) else [got]):
        if isinstance(a, dict):
            for key in a:
                torch.testing.assert_close(b[key], a[key], rtol=0, atol=0)
        else:
            torch.testing.assert_close(b, a, rtol=0, atol=0)


def test_default_config_follows_the_legacy_run_name():
    from tcm.models.tcm import guess_headline_config
    assert guess_headline_config(
        dict(exp_name='clip_db_r50_fpnc_prompt_gen_vis_1200e_ft_td_'
             'ranger_post_taiji.py')).endswith('_td500.py')
    assert 'fcenet' in guess_headline_config(dict(exp_name='fcenet_clip_r50att_ft_ic15.py'))
    assert guess_headline_config(
        dict(exp_name='panet_clip_ft_ctw_taiji.py')).endswith('fpem-ffm_1200e_ctw1500.py')
    assert guess_headline_config(None).endswith('_icdar2015.py')
