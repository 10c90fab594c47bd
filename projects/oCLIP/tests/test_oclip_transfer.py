"""The transfer configs are MMOCR's oCLIP configs (and tcm's TCM-DBNet) with only the weights'
path changed, and a converted oCLIP trunk initialises the detector's backbone."""
import glob
import os.path as osp

import pytest
import torch
from mmengine.hub import get_config
from mmocr.registry import MODELS
from mmocr.utils import register_all_modules
from oclip.converter import to_mmocr, to_original

from tcm.utils import read_config

from builders import ROOT

register_all_modules(init_default_scope=True)
TRANSFER = osp.join(ROOT, 'projects', 'oCLIP', 'configs', 'transfer')
CONFIGS = sorted(glob.glob(osp.join(TRANSFER, '[!_]*.py')))


def unscoped(value):
    """Without the ``_scope_='mmocr'`` that MMEngine writes into bases of another package."""
    if isinstance(value, dict):
        return {k: unscoped(v) for k, v in value.items() if k != '_scope_'}
    if isinstance(value, (list, tuple)):
        return type(value)(unscoped(v) for v in value)
    return value


def backbone_of(model):
    return model['cfg']['backbone'] if 'cfg' in model else model['backbone']


@pytest.mark.parametrize('path', CONFIGS, ids=osp.basename)
def test_only_the_weights_path_differs_from_the_config_it_starts_from(path):
    ours = read_config(path).to_dict()
    name = osp.basename(path)
    if name.startswith('tcm-'):
        theirs = read_config(osp.join(ROOT, 'configs', 'tcm', 'dbnet', name.replace('-oclip',
                                                                                    ''))).to_dict()
        assert ours['model'].pop('clip_pretrained') == ours['oclip_clip']
        theirs['model'].pop('clip_pretrained')
    else:
        algo = name.split('_')[0].replace('mask-rcnn', 'maskrcnn')
        theirs = get_config(f'mmocr::textdet/{algo}/{name}').to_dict()
        init = backbone_of(ours['model']).pop('init_cfg')
        assert init == dict(type='Pretrained', checkpoint=ours['oclip_backbone'])
        assert backbone_of(theirs['model']).pop('init_cfg')['checkpoint'].startswith('https://')
    for key in ('oclip_backbone', 'oclip_clip'):
        ours.pop(key)
    assert unscoped(ours) == unscoped(theirs)


def test_a_converted_trunk_initialises_mmocrs_dbnet(tmp_path):
    torch.manual_seed(0)
    oclip = MODELS.build(dict(type='OCLIP', first_stage=True))
    with torch.no_grad():
        for p in oclip.image_encoder.parameters():
            p.add_(0.01 * torch.randn_like(p))
    state = {k.removeprefix('module.'): v for k, v in to_original(oclip.state_dict()).items()}
    torch.save(to_mmocr(state), tmp_path / 'oclip_mmocr.pth')
    cfg = read_config(osp.join(TRANSFER, 'dbnet_resnet50-oclip_1200e_icdar2015.py'))
    cfg.model.backbone.init_cfg.checkpoint = str(tmp_path / 'oclip_mmocr.pth')
    detector = MODELS.build(cfg.model)
    detector.init_weights()
    loaded = detector.backbone.state_dict()
    assert all(torch.equal(loaded[k], v) for k, v in to_mmocr(state).items())
