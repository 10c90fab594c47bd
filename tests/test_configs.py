"""Every config under configs/ loads, and its model, pipelines and optimizer build."""
import glob
import os.path as osp

import pytest
import torch
from mmengine.config import Config
from mmengine.dataset import Compose
from mmengine.optim import build_optim_wrapper
from mmocr.registry import MODELS

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
CONFIGS = sorted(p for p in glob.glob(osp.join(ROOT, 'configs', '**', '*.py'), recursive=True)
                 if not osp.basename(p).startswith('_base_') and '/_base_/' not in p)


def test_configs_are_found():
    names = {osp.basename(p) for p in CONFIGS}
    assert {'tcm-dbnet_clip-r50_fpnc_1200e_icdar2015.py', 'tcm-dbnet_clip-r50_fpnc_1200e_td500.py',
            'tcm-dbnet_clip-tiny_fpnc_toy.py'} <= names
    assert len(names) == len(CONFIGS), 'mim finds configs by basename: names must be unique'


@pytest.mark.parametrize('path', CONFIGS, ids=osp.basename)
def test_config_builds(path):
    cfg = Config.fromfile(path)
    assert cfg.default_scope == 'mmocr'
    model = MODELS.build(cfg.model)
    for loader in ('train_dataloader', 'test_dataloader'):
        Compose(cfg[loader].dataset.pipeline)
    wrapper = build_optim_wrapper(model, cfg.optim_wrapper)
    base_lr = cfg.optim_wrapper.optimizer.lr
    lrs = {id(p): group['lr'] for group in wrapper.optimizer.param_groups for p in group['params']}
    if 'custom_keys' in cfg.optim_wrapper.get('paramwise_cfg', {}):
        assert lrs[id(model.backbone.conv1.weight)] == pytest.approx(0.1 * base_lr)
        assert lrs.get(id(model.text_encoder.token_embedding.weight), 0) == 0
    assert not any(p.requires_grad for p in model.text_encoder.parameters())
    model.eval()
    with torch.no_grad():
        prob = model(torch.randn(1, 3, 64, 96), mode='tensor')
    assert prob.shape == (1, 64, 96)


@pytest.mark.parametrize('name,optimizer,lr', [
    ('tcm-dbnet_clip-r50_fpnc_1200e_icdar2015.py', 'Adam', 1e-4),
    ('tcm-dbnet_clip-r50_fpnc_1200e_td500.py', 'Ranger', 1e-3)])
def test_headline_configs_keep_the_original_settings(name, optimizer, lr):
    cfg = Config.fromfile(osp.join(ROOT, 'configs/tcm/dbnet', name))
    assert cfg.optim_wrapper.optimizer.type == optimizer and cfg.optim_wrapper.optimizer.lr == lr
    assert cfg.train_cfg.max_epochs == 1200 and cfg.train_dataloader.batch_size == 16
    assert cfg.param_scheduler[0].type == 'PolyLR' and cfg.param_scheduler[0].eta_min == 1e-7
    assert cfg.model.num_prompts == 4 and cfg.model.backbone.input_resolution == 640
    assert cfg.model.data_preprocessor.mean == [122.67891434, 116.66876762, 104.00698793]
