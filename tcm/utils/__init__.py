"""Checkpoint reading, writing and conversion; config lookup."""
from .checkpoint_io import read_checkpoint, save_checkpoint_atomic
from .configs import find_config
from .legacy_checkpoint import (LEGACY_RENAMES, convert_legacy_checkpoint, guess_headline_config,
                                legacy_state_dict, legacy_variant)

__all__ = [
    'LEGACY_RENAMES', 'convert_legacy_checkpoint', 'find_config', 'guess_headline_config',
    'legacy_state_dict', 'legacy_variant', 'read_checkpoint', 'save_checkpoint_atomic'
]
