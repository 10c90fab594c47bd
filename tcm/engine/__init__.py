"""Training machinery tcm adds to MMEngine: Ranger, safe checkpoint loading, a safer Runner."""
from .checkpoint import allow_mmengine_checkpoints
from .optimizers import Ranger
from .runner import TCMRunner, check_finite_losses

__all__ = ['Ranger', 'TCMRunner', 'allow_mmengine_checkpoints', 'check_finite_losses']
