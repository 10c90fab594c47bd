"""Shared builders: a tiny TCM-DBNet, a tiny OpenAI-layout CLIP, text-detection samples."""
import copy

import numpy as np
import pytest
import torch
from mmengine.structures import InstanceData
from mmocr.structures import TextDetDataSample
from mmocr.utils import register_all_modules

import tcm  # noqa: F401  (registers tcm's modules)

register_all_modules(init_default_scope=True)

# A CLIP RN50 in miniature: width 8 (C2..C5 = 32, 64, 128, 256 channels), 32 heads of 8 dims.
TINY_VISUAL = dict(
    type='CLIPResNetWithAttention',
    layers=[1, 1, 1, 1],
    width=8,
    heads=32,
    output_dim=32,
    input_resolution=64)
TINY_TEXT = dict(type='CLIPTextContextEncoder', width=32, heads=2, layers=1, embed_dim=32)


def tiny_tcm_cfg(**overrides) -> dict:
    """A TCM-DBNet config small enough to train a step in well under a second."""
    cfg = dict(
        type='TCMDetector',
        backbone=dict(TINY_VISUAL),
        text_encoder=dict(TINY_TEXT, frozen=True),
        prompt_generator=dict(type='PromptGenerator', visual_dim=32, token_embed_dim=32),
        visual_prompt_generator=dict(
            type='ContextDecoder',
            transformer_width=16,
            transformer_heads=2,
            transformer_layers=1,
            visual_dim=32),
        context_decoder=dict(
            type='ContextDecoder',
            transformer_width=16,
            transformer_heads=2,
            transformer_layers=1,
            visual_dim=32),
        aux_loss=dict(type='TCMAuxLoss'),
        num_prompts=4,
        neck=dict(type='FPNC', in_channels=[32, 64, 128, 257], lateral_channels=32, out_channels=8),
        det_head=dict(
            type='DBHead',
            in_channels=32,
            module_loss=dict(type='DBModuleLoss'),
            postprocessor=dict(type='DBPostprocessor', text_repr_type='quad')),
        data_preprocessor=dict(
            type='TextDetDataPreprocessor',
            mean=[122.7, 116.7, 104.0],
            std=[58.4, 57.1, 57.4],
            bgr_to_rgb=True,
            pad_size_divisor=32))
    cfg.update(overrides)
    return copy.deepcopy(cfg)


def small_toy_run(folder,
                  *,
                  num_train: int,
                  num_test: int,
                  seed: int,
                  batch_size: int,
                  max_epochs: int,
                  extra: str = ''):
    """A 128-px toy set in ``folder`` and a config training on it; returns (data, config path)."""
    import os.path as osp

    from tcm.datasets import make_toy_textdet
    toy = osp.join(
        osp.dirname(osp.dirname(osp.abspath(__file__))),
        'configs/tcm/dbnet/tcm-dbnet_clip-tiny_fpnc_toy.py')
    data = make_toy_textdet(
        str(folder / 'toy'), num_train=num_train, num_test=num_test, size=128, seed=seed)
    config = folder / 'small_toy.py'
    config.write_text(f'''
_base_ = ['{toy}']
model = dict(backbone=dict(input_resolution=128))
train_dataloader = dict(batch_size={batch_size}, num_workers=0, persistent_workers=False,
                        dataset=dict(data_root='{data}'))
val_dataloader = dict(num_workers=0, persistent_workers=False, dataset=dict(data_root='{data}'))
test_dataloader = val_dataloader
max_epochs = {max_epochs}
train_cfg = dict(max_epochs=max_epochs, val_interval=max_epochs)
param_scheduler = [dict(type='PolyLR', power=0.9, eta_min=1e-5, end=max_epochs)]
{extra}
''')
    return data, str(config)


def make_sample(size=(64, 64), polygons=None, ignored=None) -> TextDetDataSample:
    """A data sample as MMOCR's pipelines pack it (polygons in input coordinates)."""
    if polygons is None:
        polygons = [np.array([8, 8, 40, 8, 40, 24, 8, 24], np.float32)]
    sample = TextDetDataSample(
        metainfo=dict(
            img_shape=size, ori_shape=size, scale_factor=(1., 1.), batch_input_shape=size))
    sample.gt_instances = InstanceData(
        polygons=[np.asarray(p, np.float32) for p in polygons],
        ignored=torch.tensor(ignored if ignored is not None else [False] * len(polygons)))
    return sample


@pytest.fixture(scope='session')
def tiny_clip():
    """A tiny open_clip CLIP with OpenAI's RN layout (7x7-style grid: 2x2 at 64 px)."""
    from open_clip.model import CLIP, CLIPTextCfg, CLIPVisionCfg
    torch.manual_seed(0)
    model = CLIP(
        embed_dim=32,
        vision_cfg=CLIPVisionCfg(layers=(1, 1, 1, 1), width=8, image_size=64, head_width=8),
        text_cfg=CLIPTextCfg(context_length=77, vocab_size=49408, width=32, heads=2, layers=1),
        quick_gelu=True)
    with torch.no_grad():  # open_clip zero-initialises bn3 and BN stats; make every value count
        for name, tensor in model.state_dict().items():
            if tensor.is_floating_point() and ('bn' in name or 'downsample.1' in name):
                tensor.copy_(torch.rand_like(tensor) + 0.5)
    return model.eval()
