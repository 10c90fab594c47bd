"""Training machinery tcm adds to MMEngine: a safer Runner, model preparation (mixed precision,
speed switches), CPU-only distributed bring-up, Ranger, safe checkpoint loading."""
from .acceleration import (apply_channels_last, compile_for_inference, prepare_for_inference,
                           prepare_model)
from .checkpoint import allow_mmengine_checkpoints
from .finite_loss import check_finite_losses, guard_finite_losses
from .launch import export_slurm_layout, init_cpu_process_group
from .optimizers import Ranger
from .runner import TCMRunner

__all__ = [
    'Ranger', 'TCMRunner', 'allow_mmengine_checkpoints', 'apply_channels_last',
    'check_finite_losses', 'compile_for_inference', 'export_slurm_layout', 'guard_finite_losses',
    'init_cpu_process_group', 'prepare_for_inference', 'prepare_model'
]
