"""Every config under configs/ loads, and its model, pipelines and optimizer build."""
import functools
import glob
import os.path as osp

import pytest
import torch
from mmengine.config import Config
from mmengine.dataset import Compose
from mmengine.optim import build_optim_wrapper
from mmocr.registry import MODELS

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
CONFIGS = sorted(
    p for p in glob.glob(osp.join(ROOT, 'configs', '**', '*.py'), recursive=True)
    if not osp.basename(p).startswith('_base_') and '/_base_/' not in p)
TCM_CONFIGS = [p for p in CONFIGS if osp.basename(p).startswith('tcm-')]


@functools.lru_cache(maxsize=None)
def build_and_run(model_text: str):
    """Build a model (once per distinct model config) and run it on a small input."""
    model = MODELS.build(eval(model_text)).eval()  # noqa: S307 - our own config's repr
    with torch.no_grad():
        out = model(torch.randn(1, 3, 64, 96), mode='tensor')
    return model, out


def test_configs_are_found():
    names = [osp.basename(p) for p in CONFIGS]
    assert len(set(names)) == len(names), 'mim finds configs by file name: names must be unique'
    for name in TCM_CONFIGS:  # a baseline without TCM beside each TCM config
        base = osp.join(osp.dirname(name), osp.basename(name)[len('tcm-'):])
        if 'toy' not in name:
            assert base in CONFIGS, f'no baseline beside {osp.basename(name)}'


@pytest.mark.parametrize('path', CONFIGS, ids=osp.basename)
def test_config_builds(path):
    cfg = Config.fromfile(path)
    assert cfg.default_scope == 'mmocr'
    model, out = build_and_run(repr(cfg.model.to_dict()))
    assert out is not None
    for loader in ('train_dataloader', 'test_dataloader'):
        if cfg.get(loader):
            dataset = cfg[loader].dataset
            Compose(dataset.get('pipeline') or dataset.datasets[0].pipeline)
    wrapper = build_optim_wrapper(model, cfg.optim_wrapper)
    lrs = {id(p): group['lr'] for group in wrapper.optimizer.param_groups for p in group['params']}
    base_lr = cfg.optim_wrapper.optimizer.lr
    if 'custom_keys' in cfg.optim_wrapper.get('paramwise_cfg', {}):
        assert lrs[id(model.backbone.conv1.weight)] == pytest.approx(0.1 * base_lr)
    if hasattr(model, 'text_encoder'):
        assert not any(p.requires_grad for p in model.text_encoder.parameters())
        assert type(model).__name__ == 'TCMDetector'
    else:
        assert model.backbone.attnpool is None  # the baselines: CLIP's ResNet, no TCM


@pytest.mark.parametrize('name,optimizer,lr',
                         [('tcm-dbnet_clip-r50_fpnc_1200e_icdar2015.py', 'Adam', 1e-4),
                          ('tcm-dbnet_clip-r50_fpnc_1200e_td500.py', 'Ranger', 1e-3),
                          ('tcm-dbnet_clip-r50_fpnc_1200e_ctw1500.py', 'AdamW', 1e-4),
                          ('tcm-dbnet_clip-r50_fpnc_1200e_totaltext.py', 'AdamW', 1e-4)])
def test_dbnet_headline_configs_keep_the_original_settings(name, optimizer, lr):
    cfg = Config.fromfile(osp.join(ROOT, 'configs/tcm/dbnet', name))
    assert cfg.optim_wrapper.optimizer.type == optimizer and cfg.optim_wrapper.optimizer.lr == lr
    assert cfg.train_cfg.max_epochs == 1200 and cfg.train_dataloader.batch_size == 16
    assert cfg.param_scheduler[0].type == 'PolyLR' and cfg.param_scheduler[0].eta_min == 1e-7
    assert cfg.model.num_prompts == (32 if 'ctw' in name or 'total' in name else 4)
    assert cfg.model.backbone.input_resolution == 640
    assert cfg.model.data_preprocessor.mean == [122.67891434, 116.66876762, 104.00698793]


def test_baseline_differs_from_its_tcm_config_only_in_the_model():
    tcm = Config.fromfile(
        osp.join(ROOT, 'configs/tcm/fcenet/tcm-fcenet_clip-r50_fpn_1500e_icdar2015.py'))
    base = Config.fromfile(
        osp.join(ROOT, 'configs/tcm/fcenet/fcenet_clip-r50_fpn_1500e_icdar2015.py'))
    for key in ('optim_wrapper', 'param_scheduler', 'train_cfg', 'train_dataloader',
                'test_dataloader'):
        assert tcm[key] == base[key], key
    assert base.model.det_head == tcm.model.det_head and base.model.type == 'FCENet'
