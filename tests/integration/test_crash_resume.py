"""Faults in real runs of the tools: a killed run resumes, checkpoints are written atomically, a
non-finite loss stops before the step, checkpoints holding code are refused."""
import argparse
import os
import os.path as osp
import signal
import subprocess
import sys
import time

import pytest
import torch
from mmengine.config import Config

from builders import ROOT, small_toy_run

pytestmark = pytest.mark.slow


@pytest.fixture(scope='module')
def slow_toy(tmp_path_factory):
    """A toy run of 3 epochs x 6 iterations, logging every iteration."""
    folder = tmp_path_factory.mktemp('faults')
    _, config = small_toy_run(
        folder,
        num_train=12,
        num_test=2,
        seed=3,
        batch_size=2,
        max_epochs=3,
        extra='default_hooks = dict(logger=dict(interval=1), checkpoint=dict(interval=1))\n'
        'randomness = dict(seed=0)')
    return folder, config


def train(config, work, *extra, timeout=600):
    return subprocess.run(
        [sys.executable, 'tools/train.py', config, '--work-dir',
         str(work), *extra],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout)


def test_killed_run_resumes_to_the_same_weights(slow_toy):
    folder, config = slow_toy
    reference = folder / 'reference'
    assert train(config, reference).returncode == 0
    killed = folder / 'killed'
    log = open(folder / 'killed.log', 'w')
    proc = subprocess.Popen([sys.executable, 'tools/train.py', config, '--work-dir',
                             str(killed)],
                            cwd=ROOT,
                            stdout=log,
                            stderr=subprocess.STDOUT)
    deadline = time.time() + 300
    while time.time() < deadline and 'Epoch(train) [2][3/6]' not in \
            open(folder / 'killed.log').read().replace('  ', ' '):
        time.sleep(0.2)
    proc.send_signal(signal.SIGKILL)  # mid-epoch 2: the last checkpoint is epoch_1.pth
    proc.wait()
    assert osp.isfile(killed / 'epoch_1.pth') and not osp.isfile(killed / 'epoch_2.pth')
    resumed = train(config, killed, '--resume')
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    assert 'resumed epoch: 1, iter: 6' in resumed.stdout + resumed.stderr
    final = torch.load(killed / 'epoch_3.pth', weights_only=True)
    expected = torch.load(reference / 'epoch_3.pth', weights_only=True)
    assert final['meta']['iter'] == expected['meta']['iter'] == 18
    assert final['param_schedulers'] == expected['param_schedulers']
    assert [g['lr'] for g in final['optimizer']['param_groups']] == \
        [g['lr'] for g in expected['optimizer']['param_groups']]
    assert not [f for f in os.listdir(killed) if f.endswith('.tmp')]
    # the resumed run is the run it continues: every weight equal (tcm.engine.epoch_seed)
    assert final['state_dict'].keys() == expected['state_dict'].keys()
    assert all(torch.equal(final['state_dict'][k], v) for k, v in expected['state_dict'].items())


def test_checkpoints_are_written_atomically(slow_toy, monkeypatch):
    """A crash while saving leaves neither a truncated checkpoint nor a temporary file."""
    from mmengine.runner import runner as runner_module

    from tcm.utils.cli import build_runner
    folder, config = slow_toy
    cfg = Config.fromfile(config)
    cfg.work_dir = str(folder / 'atomic')
    runner = build_runner(cfg)
    os.makedirs(cfg.work_dir, exist_ok=True)

    def crash(checkpoint, path, **kwargs):
        open(path, 'wb').write(b'half a checkpoint')
        raise OSError('disk full')

    monkeypatch.setattr(runner_module, 'save_checkpoint', crash)
    with pytest.raises(OSError, match='disk full'):
        runner.save_checkpoint(
            cfg.work_dir, 'epoch_1.pth', save_optimizer=False, save_param_scheduler=False)
    assert not [f for f in os.listdir(cfg.work_dir) if 'epoch_1' in f]
    monkeypatch.undo()
    runner.save_checkpoint(
        cfg.work_dir, 'epoch_1.pth', save_optimizer=False, save_param_scheduler=False)
    assert [f for f in os.listdir(cfg.work_dir) if 'epoch_1' in f] == ['epoch_1.pth']


def test_non_finite_loss_stops_before_the_step(slow_toy):
    folder, config = slow_toy
    run = train(config, folder / 'nan', '--cfg-options', 'model.aux_loss.tau=0.0')
    assert run.returncode != 0 and 'Traceback' not in run.stderr
    last = run.stderr.strip().splitlines()[-1]
    assert last.startswith(
        'error: iteration 1: loss_aux is nan') and 'weights are unchanged' in last
    assert not [f for f in os.listdir(folder / 'nan') if f.endswith('.pth')]


class Payload:

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f'touch {self.marker}', ))


def test_checkpoint_with_code_is_refused_by_the_tools(slow_toy, tmp_path):
    folder, config = slow_toy
    reference = torch.load(folder / 'reference' / 'epoch_3.pth', weights_only=True)
    marker = tmp_path / 'ran'
    evil = tmp_path / 'evil.pth'
    torch.save(dict(state_dict=reference['state_dict'], meta=dict(x=Payload(marker))), evil)
    test = subprocess.run(
        [sys.executable, 'tools/test.py', config,
         str(evil), '--work-dir',
         str(tmp_path / 'w')],
        cwd=ROOT,
        capture_output=True,
        text=True)
    assert test.returncode != 0 and 'Traceback' not in test.stderr
    assert f'{evil}: loading it would unpickle arbitrary objects (posix.system)' in test.stderr
    assert '--unsafe-load' in test.stderr and not marker.exists()


def test_unsafe_load_is_an_explicit_opt_in(slow_toy, tmp_path):
    folder, config = slow_toy
    reference = torch.load(folder / 'reference' / 'epoch_3.pth', weights_only=True)
    odd = tmp_path / 'odd.pth'
    torch.save(
        dict(state_dict=reference['state_dict'], meta=dict(args=argparse.Namespace(a=1))), odd)
    args = [sys.executable, 'tools/test.py', config, str(odd), '--work-dir', str(tmp_path / 'w')]
    refused = subprocess.run(args, cwd=ROOT, capture_output=True, text=True)
    assert refused.returncode != 0 and 'argparse.Namespace' in refused.stderr
    accepted = subprocess.run(args + ['--unsafe-load'], cwd=ROOT, capture_output=True, text=True)
    assert accepted.returncode == 0, accepted.stderr[-2000:]
