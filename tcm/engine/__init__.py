"""Training machinery tcm adds to MMEngine: Ranger, safe checkpoint loading, a safer Runner."""
from .acceleration import apply_channels_last, compile_for_inference, prepare_for_inference
from .checkpoint import allow_mmengine_checkpoints
from .optimizers import Ranger
from .runner import TCMRunner, check_finite_losses

__all__ = [
    'Ranger', 'TCMRunner', 'allow_mmengine_checkpoints', 'apply_channels_last',
    'check_finite_losses', 'compile_for_inference', 'prepare_for_inference'
]
