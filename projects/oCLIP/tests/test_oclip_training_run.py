"""The laptop loop's steps on a few toy scenes (their words are known): the toy oCLIP config
pre-trains through tools/train.py, its image encoder converts with --to tcm, and tcm's toy
DBNet fine-tunes from it."""
import os
import re
import sys

import pytest
import torch

from tcm.datasets import make_toy_textdet

from builders import ROOT, run_ok

pytestmark = pytest.mark.slow
PROJECT = os.path.join(ROOT, 'projects', 'oCLIP')


def test_toy_pretraining_converts_and_initialises_a_detector(tmp_path):
    toy = make_toy_textdet(str(tmp_path / 'toy'), num_train=8, num_test=2, size=256)
    config = tmp_path / 'pretrain.py'
    config.write_text(f'''
_base_ = ['{PROJECT}/configs/toy/oclip_clip-tiny_toy.py']
train_dataloader = dict(batch_size=2, num_workers=0, dataset=dict(data_root='{toy}'))
train_cfg = dict(max_epochs=2)
param_scheduler = [dict(_base_.param_scheduler[0], warmup_iters=2, end=2)]
default_hooks = dict(logger=dict(interval=1), checkpoint=dict(interval=2))
''')
    work = tmp_path / 'work'
    out = run_ok(sys.executable, 'tools/train.py', config, '--work-dir', work)
    kept = int(re.search(r'textdet_train.json: (\d) of 8 images kept', out).group(1))
    assert kept >= 2 and f'Epoch(train) [2][{kept // 2}/{kept // 2}]' in out
    assert 'loss_clip' in out and 'loss_char' in out
    checkpoint = work / 'epoch_2.pth'
    run_ok(sys.executable, 'tools/convert_oclip_ckpt.py', checkpoint, tmp_path / 'tcm.pth', '--to',
           'tcm')
    encoder = torch.load(tmp_path / 'tcm.pth', weights_only=True)
    trained = torch.load(checkpoint, weights_only=True)['state_dict']
    assert len(encoder) == len([k for k in trained if k.startswith('image_encoder.')])
    assert torch.equal(encoder['visual.layer4.0.conv3.weight'],
                       trained['image_encoder.layer4.0.conv3.weight'])

    finetune = tmp_path / 'finetune.py'
    finetune.write_text(f'''
_base_ = ['{ROOT}/configs/tcm/dbnet/dbnet_clip-tiny_fpnc_toy.py']
model = dict(backbone=dict(pretrained='{tmp_path / "tcm.pth"}'))
train_dataloader = dict(batch_size=2, num_workers=0, persistent_workers=False,
                        dataset=dict(data_root='{toy}'))
val_dataloader = dict(num_workers=0, persistent_workers=False, dataset=dict(data_root='{toy}'))
test_dataloader = val_dataloader
train_cfg = dict(max_epochs=1, val_interval=1)
param_scheduler = [dict(type='PolyLR', power=0.9, eta_min=1e-5, end=1)]
''')
    out = run_ok(sys.executable, 'tools/train.py', finetune, '--work-dir', tmp_path / 'ft')
    # the trunk only: a plain DBNet's backbone has no attention pool
    assert re.search(r'loaded \d+ CLIP image encoder tensors from .*tcm.pth', out)
    assert 'icdar/hmean' in out
