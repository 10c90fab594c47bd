"""Training machinery tcm adds to MMEngine: the Ranger optimizer and safe checkpoint loading."""
from .checkpoint import allow_mmengine_checkpoints
from .optimizers import Ranger

__all__ = ['Ranger', 'allow_mmengine_checkpoints']
