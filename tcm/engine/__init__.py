"""Training machinery tcm adds to MMEngine: a safer Runner, model preparation (mixed precision,
speed switches), CPU-only distributed bring-up, Ranger, safe checkpoint loading, per-epoch
seeding for exact resumption, one training per work dir."""
from .acceleration import (apply_channels_last, compile_for_inference, prepare_for_inference,
                           prepare_model)
from .checkpoint import allow_mmengine_checkpoints
from .epoch_seed import EpochSeedHook, epoch_seed
from .finite_loss import check_finite_losses, guard_finite_losses
from .launch import export_slurm_layout, init_cpu_process_group
from .optimizers import Ranger
from .runner import TCMRunner
from .work_dir_lock import work_dir_lock

__all__ = [
    'EpochSeedHook', 'Ranger', 'TCMRunner', 'allow_mmengine_checkpoints', 'apply_channels_last',
    'check_finite_losses', 'compile_for_inference', 'epoch_seed', 'export_slurm_layout',
    'guard_finite_losses', 'init_cpu_process_group', 'prepare_for_inference', 'prepare_model',
    'work_dir_lock'
]
