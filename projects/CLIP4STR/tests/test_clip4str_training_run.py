"""The B recipe end to end on a tiny CLIP4STR and generated LMDBs: tools/train.py trains it
(RandAugment, filter, four groups, one cycle), tools/test.py scores each benchmark."""
import os
import sys

import pytest
import torch
from test_clip4str import TINY
from test_clip4str_datasets import write_lmdb

from builders import ROOT, run_ok

pytestmark = pytest.mark.slow
PROJECT = os.path.join(ROOT, 'projects', 'CLIP4STR')
WORDS = ['Hello', 'World', 'CLIP', 'text', 'x' * 30, 'OCR!', 'ab', 'cd']


def run(*args):
    env = dict(os.environ, PYTHONPATH=PROJECT + os.pathsep + os.environ.get('PYTHONPATH', ''))
    return run_ok(sys.executable, *args, env=env)


@pytest.fixture(scope='module')
def recipe(tmp_path_factory):
    root = tmp_path_factory.mktemp('clip4str')
    write_lmdb(root / 'train' / 'real' / 'A', WORDS[:4])
    write_lmdb(root / 'train' / 'real' / 'B' / 'train', WORDS[4:])
    write_lmdb(root / 'val', WORDS[:3])
    for name in ('IIIT5k', 'SVT'):
        write_lmdb(root / 'test' / name, WORDS[:5])
    config = root / 'tiny_recipe.py'
    tiny = {k: v for k, v in TINY.items() if k != 'dictionary'}
    config.write_text(f'''
_base_ = ['{PROJECT}/configs/clip4str_vit-b16_16e_real.py']
model = {tiny!r}
train_dataloader = dict(batch_size=4, num_workers=0, persistent_workers=False,
                        dataset=dict(data_root='{root}/train/real'))
val_dataloader = dict(batch_size=4, num_workers=0, persistent_workers=False,
                      dataset=dict(data_root='{root}/val'))
test_dataloader = dict(batch_size=4, num_workers=0, persistent_workers=False,
    dataset=dict(datasets=[dict(type='FilteredRecogLMDBDataset', ann_file='{root}/test/' + n,
                                charset='0123456789abcdefghijklmnopqrstuvwxyz', test_mode=True)
                           for n in ['IIIT5k', 'SVT']]))
test_evaluator = dict(dataset_prefixes=['IIIT5k', 'SVT'])
train_cfg = dict(max_epochs=2)
param_scheduler = [dict(_base_.param_scheduler[0], end=2)]
default_hooks = dict(logger=dict(interval=1))
''')
    return root, config


def test_recipe_trains_and_tests_per_benchmark(recipe):
    root, config = recipe
    work = root / 'work'
    out = run('tools/train.py', config, '--work-dir', work)
    # 7 of 8 labels pass the filter (one is 30 characters): 2 iterations of 4 per epoch
    assert 'train/real/B/train: label filter kept 3 of 4 samples (dropped: 1 longer' in out
    assert 'Epoch(train) [2][2/2]' in out
    assert 'recog/word_acc_ignore_case_symbol' in out and 'recog/1-N.E.D' in out
    state = torch.load(work / 'epoch_2.pth', weights_only=True)
    assert 'cross_decoder.head.weight' in state['state_dict']
    out = run('tools/test.py', config, work / 'epoch_2.pth', '--work-dir', work)
    for name in ('IIIT5k', 'SVT'):
        assert f'{name}/recog/word_acc_ignore_case_symbol' in out, out[-2000:]
        assert f'{name}/recog/1-N.E.D' in out
