"""Training on MMEngine's launcher with two CPU processes (gloo): ranks end with equal weights."""
import os
import subprocess
import sys

import pytest
import torch

from builders import ROOT, on_two_gloo_ranks, small_toy_run

pytestmark = pytest.mark.slow

DUMP_HOOK = '''
import torch
import torch.distributed as dist
from mmengine.hooks import Hook
from mmocr.registry import HOOKS


@HOOKS.register_module()
class DumpRankWeightsHook(Hook):
    def __init__(self, out_dir):
        self.out_dir = out_dir

    def after_train(self, runner):
        model = getattr(runner.model, 'module', runner.model)
        torch.save(model.state_dict(), f'{self.out_dir}/rank{dist.get_rank()}.pth')
'''

# `scontrol show hostname NODES` prints the nodes of the job; the first is the master
FAKE_SCONTROL = '#!/bin/sh\ntouch "$0.called"\necho 127.0.0.1\n'


def launch(launcher, tmp_path, config):
    """Two training processes, as torch.distributed.run or as Slurm (srun) starts them."""
    command = [
        'tools/train.py', config, '--launcher', launcher, '--work-dir',
        str(tmp_path / 'work')
    ]
    env = dict(os.environ, PYTHONPATH=f'{tmp_path}{os.pathsep}{ROOT}')
    if launcher == 'pytorch':
        runs = [([
            sys.executable, '-m', 'torch.distributed.run', '--nproc_per_node', '2', '--master_port',
            '29533', *command
        ], env)]
    else:
        bin_dir = tmp_path / 'bin'
        bin_dir.mkdir()
        (bin_dir / 'scontrol').write_text(FAKE_SCONTROL)
        (bin_dir / 'scontrol').chmod(0o755)
        env.update(
            PATH=f'{bin_dir}{os.pathsep}{env["PATH"]}',
            SLURM_NTASKS='2',
            SLURM_NODELIST='node[1-2]',
            MASTER_PORT='29534')
        runs = [([sys.executable,
                  *command], dict(env, SLURM_PROCID=str(rank), SLURM_LOCALID=str(rank)))
                for rank in range(2)]
    logs = [tmp_path / f'launch{i}.log' for i in range(len(runs))]
    procs = []
    try:  # output to files, so that no process blocks on a full pipe while the other waits
        for (args, run_env), log in zip(runs, logs):
            with open(log, 'w') as out:
                procs.append(
                    subprocess.Popen(
                        args, cwd=ROOT, env=run_env, stdout=out, stderr=subprocess.STDOUT))
        for proc in procs:
            proc.wait(timeout=600)
    finally:
        for proc in procs:
            proc.kill()
    text = '\n'.join(log.read_text() for log in logs)
    assert all(proc.returncode == 0 for proc in procs), text[-6000:]
    if launcher == 'slurm':
        assert (bin_dir / 'scontrol.called').exists()
    return text


# Slurm with NHWC weights: DDP wraps the model after tcm converts it
@pytest.mark.parametrize('launcher,channels_last', [('pytorch', False), ('slurm', True)])
def test_two_process_training_keeps_ranks_in_sync(tmp_path, launcher, channels_last):
    (tmp_path / 'rank_dump.py').write_text(DUMP_HOOK)
    _, config = small_toy_run(
        tmp_path,
        num_train=8,
        num_test=2,
        seed=5,
        batch_size=2,
        max_epochs=2,
        extra=f"custom_imports = dict(imports=['tcm', 'rank_dump'])\n"
        f"custom_hooks = [dict(type='DumpRankWeightsHook', out_dir='{tmp_path}')]\n"
        "env_cfg = dict(dist_cfg=dict(backend='gloo'))\n"
        f'channels_last = {channels_last}')
    log = launch(launcher, tmp_path, config)
    rank0 = torch.load(tmp_path / 'rank0.pth', weights_only=True)
    rank1 = torch.load(tmp_path / 'rank1.pth', weights_only=True)
    saved = torch.load(tmp_path / 'work' / 'epoch_2.pth', weights_only=True)['state_dict']
    assert rank0.keys() == rank1.keys()
    assert rank0['backbone.conv1.weight'].is_contiguous(
        memory_format=torch.channels_last) == channels_last
    for key in rank0:
        torch.testing.assert_close(rank0[key], rank1[key], msg=key)
    for key, value in saved.items():  # the checkpoint holds the final weights of rank 0
        torch.testing.assert_close(rank0[key], value, msg=key)
    # each rank saw half of the 8 images per epoch: 2 iterations of batch 2, twice
    assert 'Epoch(train) [2][2/2]' in log.replace('  ', ' ')


def _guard_on_one_rank(rank, port, results):
    """One of two gloo processes; only rank 1's loss is NaN."""
    import torch.distributed as dist

    from tcm.engine.finite_loss import _finite_loss_hook
    dist.init_process_group('gloo', init_method=f'tcp://127.0.0.1:{port}', rank=rank, world_size=2)
    losses = dict(loss_ok=torch.tensor(1.0), loss_odd=torch.tensor(float('nan') if rank else 2.0))
    try:
        _finite_loss_hook(None, (), dict(mode='loss'), losses)
        results.put((rank, 'no error'))
    except FloatingPointError as exc:
        results.put((rank, str(exc)))
    finally:
        dist.destroy_process_group()


def test_a_non_finite_loss_on_one_rank_stops_every_rank():
    """Without the all-reduce of the flag, rank 0 would wait in DDP's gradient all-reduce."""
    said = dict(on_two_gloo_ranks(_guard_on_one_rank))
    assert said[1].startswith('iteration 1: loss_odd is nan')
    assert said[0].startswith('iteration 1: a loss term is not finite on another process')
