"""Train, resume, test and visualize on generated data with the repository's tools and with mim."""
import glob
import os
import os.path as osp
import subprocess
import sys

import pytest
import torch

from tcm.datasets import make_toy_textdet

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
TOY_CONFIG = osp.join(ROOT, 'configs/tcm/dbnet/tcm-dbnet_clip-tiny_fpnc_toy.py')
MIM = osp.join(osp.dirname(sys.executable), 'mim')


def run(*args, cwd=ROOT):
    proc = subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True,
                          timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return proc.stdout + proc.stderr


@pytest.fixture(scope='module')
def toy(tmp_path_factory):
    """A 128-px toy set and a config that trains on it for 2 epochs of 3 iterations."""
    folder = tmp_path_factory.mktemp('e2e')
    data = make_toy_textdet(str(folder / 'toy'), num_train=12, num_test=4, size=128, seed=1)
    config = folder / 'toy_e2e.py'
    config.write_text(f'''
_base_ = ['{TOY_CONFIG}']
model = dict(backbone=dict(input_resolution=128))
train_dataloader = dict(batch_size=4, num_workers=0, persistent_workers=False,
                        dataset=dict(data_root='{data}'))
val_dataloader = dict(num_workers=0, persistent_workers=False, dataset=dict(data_root='{data}'))
test_dataloader = val_dataloader
max_epochs = 2
train_cfg = dict(max_epochs=max_epochs, val_interval=max_epochs)
param_scheduler = [dict(type='PolyLR', power=0.9, eta_min=1e-5, end=max_epochs)]
default_hooks = dict(checkpoint=dict(interval=1))
''')
    return dict(folder=folder, data=data, config=str(config))


@pytest.fixture(scope='module')
def trained(toy):
    work = toy['folder'] / 'work'
    out = run(sys.executable, 'tools/train.py', toy['config'], '--work-dir', work)
    assert 'icdar/hmean' in out
    return work


def test_train_writes_checkpoints(trained):
    assert osp.isfile(trained / 'epoch_2.pth')
    state = torch.load(trained / 'epoch_2.pth', weights_only=True)  # tcm's safe globals
    assert 'contexts' in state['state_dict'] and state['meta']['epoch'] == 2


def test_resume_continues_the_schedule(toy, trained):
    out = run(sys.executable, 'tools/train.py', toy['config'], '--work-dir', trained, '--resume',
              '--cfg-options', 'train_cfg.max_epochs=3')
    assert 'resumed epoch: 2, iter: 6' in out
    ckpt = torch.load(trained / 'epoch_3.pth', weights_only=True)
    assert ckpt['meta']['epoch'] == 3 and ckpt['meta']['iter'] == 9
    assert ckpt['param_schedulers'][0]['_global_step'] == 3


def test_test_tool_reports_hmean(toy, trained):
    out = run(sys.executable, 'tools/test.py', toy['config'], trained / 'epoch_2.pth',
              '--work-dir', toy['folder'] / 'test')
    assert 'icdar/hmean' in out


def test_mim_train_and_test(toy):
    work = toy['folder'] / 'mim'
    run(MIM, 'train', 'tcm', toy['config'], '--work-dir', work,
        '--cfg-options', 'train_cfg.max_epochs=1', 'train_cfg.val_interval=1')
    out = run(MIM, 'test', 'tcm', toy['config'], '--checkpoint', work / 'epoch_1.pth',
              '--work-dir', work)
    assert 'icdar/hmean' in out


def test_visualize_writes_polygons_and_score_map(toy, trained):
    images = sorted(glob.glob(osp.join(toy['data'], 'textdet_imgs/test/*.jpg')))[:2]
    out_dir = toy['folder'] / 'vis'
    run(sys.executable, 'tools/visualize.py', toy['config'], trained / 'epoch_2.pth', *images,
        '--out-dir', out_dir)
    import cv2
    drawn = cv2.imread(str(out_dir / osp.basename(images[0])))
    assert drawn.shape == (128, 256, 3)  # polygons | score map, side by side


def test_tools_refuse_missing_files(toy, tmp_path):
    proc = subprocess.run([sys.executable, 'tools/test.py', toy['config'], str(tmp_path / 'x.pth')],
                          cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode != 0 and 'checkpoint file not found' in proc.stderr
    assert 'Traceback' not in proc.stderr


def test_converted_legacy_checkpoint_scores_the_same(toy, trained):
    """A checkpoint saved in the original layout, converted, evaluates exactly like the original."""
    state = torch.load(trained / 'epoch_2.pth', weights_only=True)['state_dict']
    legacy = {('bbox_head.' + k[len('det_head.'):] if k.startswith('det_head.') else k): v
              for k, v in state.items()}
    torch.save(dict(state_dict=legacy, meta=dict(exp_name='toy')), toy['folder'] / 'legacy.pth')
    converted = toy['folder'] / 'converted.pth'
    run(sys.executable, 'tools/convert_legacy_ckpt.py', toy['folder'] / 'legacy.pth', converted,
        '--config', toy['config'], '--cfg-options', 'model.backbone.input_resolution=128')

    def metrics(checkpoint):
        out = run(sys.executable, 'tools/test.py', toy['config'], checkpoint,
                  '--work-dir', toy['folder'] / 'cmp')
        return [line.split('mmengine - INFO - ')[-1] for line in out.splitlines()
                if 'prediction score threshold' in line]

    original = metrics(trained / 'epoch_2.pth')
    assert len(original) == 7 and metrics(converted) == original
