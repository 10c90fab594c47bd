"""Distributed runs without GPUs: processes meet over gloo, Slurm's layout as torch's env://."""
import os
import subprocess
from datetime import timedelta
from typing import Dict, Optional

import torch.distributed as dist

from ..utils.errors import InputError


def export_slurm_layout(port: Optional[int] = None) -> None:
    """Publish Slurm's task layout as torch's ``env://`` variables, with MMEngine's rules for
    GPUs: rank and world size from Slurm, the master on the first node of the job (unless
    ``MASTER_ADDR`` is set), port ``port``, else ``MASTER_PORT``, else 29500."""
    env = os.environ
    missing = [key for key in ('SLURM_PROCID', 'SLURM_NTASKS', 'SLURM_NODELIST') if key not in env]
    if missing:
        raise InputError(f'--launcher slurm outside a Slurm job: {", ".join(missing)} not set')
    env['RANK'], env['WORLD_SIZE'] = env['SLURM_PROCID'], env['SLURM_NTASKS']
    env['LOCAL_RANK'] = env.get('SLURM_LOCALID', '0')
    env['MASTER_PORT'] = str(port or env.get('MASTER_PORT', 29500))
    if 'MASTER_ADDR' not in env:
        try:
            nodes = subprocess.run(['scontrol', 'show', 'hostnames', env['SLURM_NODELIST']],
                                   check=True,
                                   capture_output=True,
                                   text=True).stdout.split()
        except (OSError, subprocess.CalledProcessError) as exc:
            raise InputError(f'--launcher slurm: `scontrol show hostnames` failed ({exc}); '
                             'set MASTER_ADDR') from None
        env['MASTER_ADDR'] = nodes[0]


def init_cpu_process_group(launcher: str, env_cfg: Dict) -> None:
    """Join the job's processes over gloo, honouring ``env_cfg.dist_cfg``'s port and timeout
    (MMEngine's ``init_dist`` assumes a GPU)."""
    dist_cfg = env_cfg.get('dist_cfg', {})
    if launcher == 'slurm':
        export_slurm_layout(dist_cfg.get('port'))
    timeout = dist_cfg.get('timeout')
    dist.init_process_group(
        backend='gloo', **({} if timeout is None else dict(timeout=timedelta(seconds=timeout))))
