"""Leaf helpers that depend on no other part of tcm: user errors, safe checkpoint reading and
atomic writing, reading archives' tensors without running code, config lookup; mixed precision
for heads lives in :mod:`tcm.utils.precision`."""
from .atomic import atomic_write
from .checkpoint_io import (StateDictMatch, check_state_dict, load_weights, match_state_dict,
                            read_checkpoint, save_checkpoint_atomic)
from .configs import build_from_config, find_config, find_project_folder, read_config
from .errors import InputError
from .restricted_unpickler import Stub, restricted_load, tensors_of

__all__ = [
    'InputError', 'StateDictMatch', 'Stub', 'atomic_write', 'build_from_config', 'check_state_dict',
    'find_config', 'find_project_folder', 'load_weights', 'match_state_dict', 'read_checkpoint',
    'read_config', 'restricted_load', 'save_checkpoint_atomic', 'tensors_of'
]
