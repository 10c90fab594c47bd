"""The SynthText recipe end to end on a tiny oCLIP and toy scenes (their words are known):
tools/train.py pre-trains it, and the converter hands its image encoder to tcm."""
import os
import re
import sys

import pytest
import torch
from test_oclip_model import TINY

from tcm.datasets import make_toy_textdet

from builders import ROOT, run_ok

pytestmark = pytest.mark.slow
PROJECT = os.path.join(ROOT, 'projects', 'oCLIP')


def run(*args):
    env = dict(os.environ, PYTHONPATH=PROJECT + os.pathsep + os.environ.get('PYTHONPATH', ''))
    return run_ok(sys.executable, *args, env=env)


def test_recipe_pretrains_and_converts(tmp_path):
    toy = make_toy_textdet(str(tmp_path / 'toy'), num_train=6, num_test=1, size=96)
    config = tmp_path / 'tiny_oclip.py'
    config.write_text(f'''
_base_ = ['{PROJECT}/configs/oclip_rn50_100e_synthtext.py']
model = {TINY!r}
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='TorchVisionWrapper', op='RandomResizedCrop', size=64, scale=(0.95, 1.0),
         interpolation=3),
    dict(type='OCLIPTokenize', dict_file=_base_.dict_file),
    dict(type='PackOCLIPInputs')
]
train_dataloader = dict(batch_size=2, num_workers=0, persistent_workers=False,
                        dataset=dict(data_root='{toy}', ann_file='textdet_train.json',
                                     pipeline=train_pipeline))
train_cfg = dict(max_epochs=2)
param_scheduler = [dict(_base_.param_scheduler[0], warmup_iters=2, end=2)]
default_hooks = dict(logger=dict(interval=1), checkpoint=dict(interval=2))
''')
    work = tmp_path / 'work'
    out = run('tools/train.py', config, '--work-dir', work)
    kept = int(re.search(r'textdet_train.json: (\d) of 6 images kept', out).group(1))
    assert kept >= 2 and f'Epoch(train) [2][{kept // 2}/{kept // 2}]' in out
    assert 'loss_clip' in out and 'loss_char' in out
    checkpoint = work / 'epoch_2.pth'
    run('tools/convert_oclip_ckpt.py', checkpoint, tmp_path / 'tcm.pth', '--to', 'tcm')
    encoder = torch.load(tmp_path / 'tcm.pth', weights_only=True)
    trained = torch.load(checkpoint, weights_only=True)['state_dict']
    assert len(encoder) == len([k for k in trained if k.startswith('image_encoder.')])
    assert torch.equal(encoder['visual.attnpool.c_proj.weight'],
                       trained['image_encoder.attnpool.c_proj.weight'])
