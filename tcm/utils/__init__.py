"""Leaf helpers that depend on no other part of tcm: user errors, safe checkpoint reading and
atomic writing, mixed precision for heads, config lookup."""
from .checkpoint_io import read_checkpoint, save_checkpoint_atomic
from .configs import find_config
from .errors import InputError
from .restricted_load import Stub, restricted_load, tensors_of

__all__ = [
    'InputError', 'Stub', 'find_config', 'read_checkpoint', 'restricted_load',
    'save_checkpoint_atomic', 'tensors_of'
]
