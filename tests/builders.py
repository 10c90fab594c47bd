"""What the tests build: the repository's own configs shrunk to a tiny CLIP, samples, toy runs.

Tiny models start from a config in ``configs/`` and override only sizes, so the tests exercise
the types, losses, post-processors and TCM settings the configs really use.
"""
import copy
import os.path as osp
import subprocess
from typing import Dict, Optional

import numpy as np
import torch
from mmengine.config import Config, ConfigDict
from mmengine.structures import InstanceData
from mmocr.structures import TextDetDataSample

from tcm.utils import find_config

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
TOY_CONFIG = osp.join(ROOT, 'configs/tcm/dbnet/tcm-dbnet_clip-tiny_fpnc_toy.py')

# A CLIP RN50 in miniature: width 8 (C2..C5 = 32, 64, 128, 256 channels), 32 heads of 8 dims,
# a 2x2 positional grid (64 px); its text tower 32 wide, one layer.
TINY_VISUAL = dict(
    type='CLIPResNetWithAttention',
    layers=[1, 1, 1, 1],
    width=8,
    heads=32,
    output_dim=32,
    input_resolution=64)
TINY_TEXT = dict(width=32, heads=2, layers=1)
TINY_CONTEXT_ENCODER = dict(type='CLIPTextContextEncoder', embed_dim=32, **TINY_TEXT)
TINY_DECODER = dict(transformer_width=16, transformer_heads=2, transformer_layers=1)

#: neck and head widths for the tiny CLIP, by neck type (the levels come from the backbone).
TINY_NECK_HEAD = {
    'FPNC': (dict(lateral_channels=32, out_channels=8), dict(in_channels=32)),
    'mmdet.FPN': (dict(out_channels=16), dict(in_channels=16)),
    'FPN': (dict(out_channels=16), None),  # MMDetection's, inside MMDetWrapper
    'FPEM_FFM': (dict(conv_out=16), dict(in_channels=[16] * 4)),
    'FPNF': (dict(), dict(hidden_dim=16)),  # FPNF's concat fusion is built for 4 x 256
    'FPN_UNet': (dict(out_channels=8), dict(in_channels=8)),
}


def config_model(name: str, options: Optional[Dict] = None) -> Dict:
    """``cfg.model`` of a repository config, by file name or path, with ``--cfg-options``
    ``options`` merged, as a plain dict."""
    cfg = Config.fromfile(name if osp.isfile(name) else find_config(name))
    cfg.merge_from_dict(options or {})
    return cfg.model.to_dict()


def tiny_model_cfg(name: str = TOY_CONFIG,
                   options: Optional[Dict] = None,
                   **overrides) -> ConfigDict:
    """The model of config ``name`` (with ``options`` merged) with the tiny CLIP (and tiny
    decoders for TCM models); for ``MMDetWrapper`` models, the wrapped detector's."""
    model = config_model(name, options)
    detector = model['cfg'] if model['type'] == 'MMDetWrapper' else model
    backbone = detector['backbone']
    if backbone['type'] == 'mmdet.ResNet':  # ImageNet baselines: the same depth, 1/8 as wide
        detector['backbone'] = dict(backbone, base_channels=8, init_cfg=None)
    else:
        detector['backbone'] = dict(
            TINY_VISUAL,
            type=backbone['type'],
            out_indices=backbone.get('out_indices', (0, 1, 2, 3)),
            return_embeddings=backbone.get('return_embeddings', True))
    levels = [8 * 4 * 2**i for i in detector['backbone']['out_indices']]
    neck, head = TINY_NECK_HEAD[detector['neck']['type']]
    detector['neck'] = dict(detector['neck'], in_channels=levels, **neck)
    if 'det_head' in detector:
        detector['det_head'] = dict(detector['det_head'], **head)
    else:
        _shrink_two_stage_heads(detector, neck['out_channels'])
    if 'text_encoder' in detector:
        detector['text_encoder'].update(TINY_TEXT)
        for key in ('visual_prompt_generator', 'context_decoder'):
            if detector.get(key):
                detector[key].update(TINY_DECODER)
    model.update(overrides)
    return ConfigDict(copy.deepcopy(model))  # MMDetection's detectors read their cfg by attribute


def _shrink_two_stage_heads(detector: Dict, width: int) -> None:
    """Mask R-CNN's RPN and RoI heads on ``width``-channel FPN levels, with small layers."""
    detector['rpn_head'].update(in_channels=width, feat_channels=width)
    roi = detector['roi_head']
    for extractor in ('bbox_roi_extractor', 'mask_roi_extractor'):
        roi[extractor]['out_channels'] = width
    roi['bbox_head'].update(in_channels=width, fc_out_channels=32)
    roi['mask_head'].update(in_channels=width, conv_out_channels=width)


def trained_like(model: torch.nn.Module) -> torch.nn.Module:
    """``model`` with the one output a random head must not give: DRRG's text components of
    negative height, on which mmcv's rotated RoI Align fails; a trained head regresses them
    positive."""
    head = getattr(model, 'det_head', None)
    if type(head).__name__ == 'DRRGHead':
        torch.nn.init.constant_(head.out_conv.bias[4:], 4.0)
    return model


def tiny_tcm_cfg(**overrides) -> Dict:
    """The toy TCM-DBNet at the tiny CLIP's size: trains a step in well under a second."""
    return tiny_model_cfg(TOY_CONFIG, **overrides)


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


def two_boxes(n: int = 2, size: int = 128):
    """``n`` samples of ``size`` px with an upright and a slanted text quad."""
    polygons = [[10, 10, 90, 10, 90, 40, 10, 40], [20, 70, 110, 62, 112, 92, 22, 100]]
    return [make_sample((size, size), polygons) for _ in range(n)]


def small_toy_run(folder,
                  *,
                  num_train: int,
                  num_test: int,
                  seed: int,
                  batch_size: int,
                  max_epochs: int,
                  extra: str = ''):
    """A 128-px toy set in ``folder`` and a config training on it; returns (data, config path)."""
    from tcm.datasets import make_toy_textdet
    data = make_toy_textdet(
        str(folder / 'toy'), num_train=num_train, num_test=num_test, size=128, seed=seed)
    config = folder / 'small_toy.py'
    config.write_text(f'''
_base_ = ['{TOY_CONFIG}']
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


def run_ok(*args, cwd: str = ROOT, env: Optional[Dict[str, str]] = None) -> str:
    """Run a command as a user would; fail the test with its last output unless it succeeds."""
    proc = subprocess.run([str(a) for a in args],
                          cwd=cwd,
                          env=env,
                          capture_output=True,
                          text=True,
                          timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return proc.stdout + proc.stderr


def on_two_gloo_ranks(target, *args, timeout: int = 120) -> list:
    """Run ``target(rank, port, results, *args)`` in two spawned processes (``port`` for
    ``init_process_group('gloo', ...)``) and return what they put on ``results``: plain values
    or NumPy arrays (torch sends tensors as file descriptors, gone once the worker exits)."""
    import socket

    import torch.multiprocessing as mp
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        port = s.getsockname()[1]
    context = mp.get_context('spawn')
    results = context.Queue()
    workers = [context.Process(target=target, args=(r, port, results, *args)) for r in (0, 1)]
    for worker in workers:
        worker.start()
    said = [results.get(timeout=timeout) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)
    return said
