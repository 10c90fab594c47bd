"""Every config under configs/: it loads, has its baseline beside it, inherits shallowly, and its
model, pipelines and optimizer build (the builds of full-size models are marked slow)."""
import ast
import functools
import glob
import os.path as osp

import pytest
import torch
from mmengine.config import Config, ConfigDict
from mmengine.dataset import Compose
from mmengine.optim import build_optim_wrapper
from mmocr.registry import MODELS

from tcm.models.detectors.tcm_plugin import TCMPlugin

from builders import ROOT, tiny_model_cfg, trained_like

CONFIGS = sorted(
    p for p in glob.glob(osp.join(ROOT, 'configs', '**', '*.py'), recursive=True)
    if not osp.basename(p).startswith('_base_') and '/_base_/' not in p)
TCM_CONFIGS = [p for p in CONFIGS if osp.basename(p).startswith('tcm-')]
MMOCR_CONFIGS = osp.join(osp.dirname(__import__('mmocr').__file__), '.mim', 'configs')


def baseline_of(path):
    return osp.join(osp.dirname(path), osp.basename(path)[len('tcm-'):])


def bases(path):
    """The files ``path`` lists in ``_base_`` (``mmocr::`` resolved)."""
    for node in ast.parse(open(path).read()).body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], 'id', '') == '_base_':
            value = ast.literal_eval(node.value)
            return [
                osp.join(MMOCR_CONFIGS, b[len('mmocr::'):])
                if b.startswith('mmocr::') else osp.normpath(osp.join(osp.dirname(path), b))
                for b in ([value] if isinstance(value, str) else value)
            ]
    return []


def depth(path):
    """Levels of this repository's configs ``path`` inherits through (a config of MMOCR's or
    MMDetection's counts as one, however deep its own chain)."""
    if not path.startswith(osp.join(ROOT, 'configs')):
        return 0
    return 1 + max((depth(b) for b in bases(path)), default=-1)


@functools.lru_cache(maxsize=None)
def load(path):
    return Config.fromfile(path)


def test_configs_are_found_with_unique_names_and_a_baseline_each():
    names = [osp.basename(p) for p in CONFIGS]
    assert len(set(names)) == len(names), 'mim finds configs by file name: names must be unique'
    for path in TCM_CONFIGS:
        if 'toy' not in path:
            assert baseline_of(path) in CONFIGS, f'no baseline beside {osp.basename(path)}'


@pytest.mark.parametrize('path', CONFIGS, ids=osp.basename)
def test_config_loads_and_inherits_through_at_most_three_levels(path):
    cfg = load(path)
    assert cfg.default_scope == 'mmocr'
    assert depth(path) <= 3, f'{osp.basename(path)} inherits through {depth(path)} levels'
    stray = [k for k, v in cfg.items() if isinstance(v, dict) and k.endswith('_clip_r50')]
    assert not stray, f'stray model dicts {stray}'


@pytest.mark.parametrize('path', [p for p in TCM_CONFIGS if 'toy' not in p], ids=osp.basename)
def test_tcm_config_is_its_baseline_plus_the_tcm_block(path):
    """Same data, schedule, head and backbone settings: only the TCM block differs (and the
    pre-train a fine-tune starts from: each its own)."""
    tcm, base = load(path).to_dict(), load(baseline_of(path)).to_dict()
    own = ('model', 'tcm', 'tcm_mask_rcnn', 'load_from')
    assert {k: v for k, v in tcm.items() if k not in own} == \
        {k: v for k, v in base.items() if k not in own}
    if base.get('load_from'):
        assert tcm['load_from'] == base['load_from'].replace('/dbnet_', '/tcm-dbnet_')
    model, baseline = tcm['model'], base['model']
    if model['type'] == 'MMDetWrapper':  # a two-stage MMDetection detector: TCM is inside
        assert model['text_repr_type'] == baseline['text_repr_type']
        model, baseline = model['cfg'], baseline['cfg']
        heads = ('rpn_head', 'roi_head', 'train_cfg', 'test_cfg')
    else:
        heads = ('det_head', )
    assert model['type'] in ('TCMDetector', 'FastTCMDetector', 'TCMMaskRCNN')
    assert 'text_encoder' not in baseline
    for key in heads + ('neck', 'data_preprocessor'):
        assert model[key] == baseline[key], key
    assert model['backbone'] == dict(baseline['backbone'], return_embeddings=True)
    assert baseline['backbone']['return_embeddings'] is False


@pytest.mark.parametrize('path', CONFIGS, ids=osp.basename)
def test_config_model_pipelines_and_optimizer_build(path):
    """The config's model at the tiny CLIP's size, its pipelines and its optimizer."""
    cfg = load(path)
    model = MODELS.build(tiny_model_cfg(path))
    for loader in ('train_dataloader', 'test_dataloader'):
        if cfg.get(loader):
            dataset = cfg[loader].dataset
            Compose(dataset.get('pipeline') or dataset.datasets[0].pipeline)
    wrapper = build_optim_wrapper(model, cfg.optim_wrapper)
    lrs = {id(p): group['lr'] for group in wrapper.optimizer.param_groups for p in group['params']}
    base_lr = cfg.optim_wrapper.optimizer.lr
    if 'custom_keys' in cfg.optim_wrapper.get('paramwise_cfg', {}):
        assert lrs[id(model.backbone.conv1.weight)] == pytest.approx(0.1 * base_lr)
    model = getattr(model, 'wrapped_model', model)  # MMDetWrapper's MMDetection detector
    if isinstance(model, TCMPlugin):
        assert not any(p.requires_grad for p in model.text_encoder.parameters())
    elif hasattr(model.backbone, 'attnpool'):
        assert model.backbone.attnpool is None  # the baselines: CLIP's ResNet, no TCM


@functools.lru_cache(maxsize=None)
def build_and_run(model_text: str):
    """Build a model (once per distinct model config) and run it on a small input."""
    model = trained_like(MODELS.build(ConfigDict(eval(model_text))).eval())  # noqa: S307 - ours
    samples = None
    if hasattr(model, 'wrapped_model'):  # MMDetection's two-stage detectors read image sizes
        from mmdet.structures import DetDataSample
        samples = [DetDataSample(metainfo=dict(img_shape=(64, 96)))]
    with torch.no_grad():
        return model(torch.randn(1, 3, 64, 96), samples, mode='tensor')


@pytest.mark.slow
@pytest.mark.parametrize('path', CONFIGS, ids=osp.basename)
def test_full_size_model_builds_and_runs(path):
    assert build_and_run(repr(load(path).model.to_dict())) is not None


@pytest.mark.parametrize('name,optimizer,lr',
                         [('tcm-dbnet_clip-r50_fpnc_1200e_icdar2015.py', 'Adam', 1e-4),
                          ('tcm-dbnet_clip-r50_fpnc_1200e_td500.py', 'Ranger', 1e-3),
                          ('tcm-dbnet_clip-r50_fpnc_1200e_ctw1500.py', 'AdamW', 1e-4),
                          ('tcm-dbnet_clip-r50_fpnc_1200e_totaltext.py', 'AdamW', 1e-4)])
def test_dbnet_headline_configs_keep_the_original_settings(name, optimizer, lr):
    cfg = load(osp.join(ROOT, 'configs/tcm/dbnet', name))
    assert cfg.optim_wrapper.optimizer.type == optimizer and cfg.optim_wrapper.optimizer.lr == lr
    assert cfg.train_cfg.max_epochs == 1200 and cfg.train_dataloader.batch_size == 16
    assert cfg.param_scheduler[0].type == 'PolyLR' and cfg.param_scheduler[0].eta_min == 1e-7
    assert cfg.model.num_prompts == (32 if 'ctw' in name or 'total' in name else 4)
    assert cfg.model.backbone.input_resolution == 640
    assert cfg.model.data_preprocessor.mean == [122.67891434, 116.66876762, 104.00698793]
    assert cfg.optim_wrapper.paramwise_cfg.custom_keys == dict(
        backbone=dict(lr_mult=0.1), norm=dict(decay_mult=0.0))


def test_the_tcm_block_is_written_once_and_composed_by_every_family():
    block = load(osp.join(ROOT, 'configs/tcm/dbnet/tcm-dbnet_clip-r50_fpnc_1200e_icdar2015.py'))
    for path in TCM_CONFIGS:
        model = load(path).model
        model = model.cfg if model.type == 'MMDetWrapper' else model
        for key in ('text_encoder', 'prompt_generator', 'visual_prompt_generator',
                    'context_decoder', 'class_names', 'prompt_length'):
            if 'toy' not in path:
                assert model[key] == block.model[key], (osp.basename(path), key)
