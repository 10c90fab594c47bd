"""Reading user-supplied checkpoints safely and writing checkpoints atomically."""
import os.path as osp
import re
from typing import Any, Mapping, Optional

import torch

from .atomic import atomic_write
from .errors import InputError


def refused_global(message: str) -> Optional[str]:
    """The object torch's ``weights_only`` unpickler refused, from its error message."""
    found = re.search(r'GLOBAL ([\w.]+)|got <class \'([\w.]+)\'>', message)
    return (found.group(1) or found.group(2)) if found else None


def read_checkpoint(path: str, unsafe: bool = False) -> Any:
    """``torch.load`` a user's file with ``weights_only=True``, with one-line errors.

    ``unsafe=True`` is the explicit opt-in to full unpickling, which can run code
    stored in the file; use it only for files you trust.
    """
    if not osp.isfile(path):
        raise FileNotFoundError(f'{path}: no such file')
    try:
        return torch.load(path, map_location='cpu', weights_only=not unsafe)
    except Exception as exc:  # noqa: BLE001 - every reader failure maps to one of two messages
        text = str(exc)
        name = refused_global(text)
        if not unsafe and name:
            raise InputError(
                f'{path}: loading it would unpickle arbitrary objects ({name}), which can run '
                'code; pass --unsafe-load only if you trust this file') from None
        reason = next((line.strip() for line in text.splitlines()
                       if line.strip() and 'Weights only load failed' not in line), '')
        raise InputError(
            f'{path}: not a readable PyTorch checkpoint (truncated, corrupt or another '
            f'format; torch says {type(exc).__name__}: {reason})') from None


def save_checkpoint_atomic(obj: Any, path: str, force: bool = False) -> None:
    """``torch.save`` to a temporary file beside ``path``, then rename it into place."""
    with atomic_write(path, force=force) as f:
        torch.save(obj, f)


def check_state_dict(own: Mapping[str, Any], state: Mapping[str, Any], source: str,
                     hint: str) -> None:
    """Raise one ``InputError`` line unless ``state`` has exactly ``own``'s keys and shapes:
    the first key whose shape differs (with ``hint``, e.g. which config to convert with), or
    how many keys are lacking or unexpected."""
    for key, value in state.items():
        if key in own and tuple(own[key].shape) != tuple(value.shape):
            raise InputError(f'{source}: {key} has shape {tuple(value.shape)} but the config '
                             f'expects {tuple(own[key].shape)}; {hint}')
    lacking = [k for k in own if k not in state]
    extra = [k for k in state if k not in own]
    if lacking or extra:
        kind, keys = ('lacks', lacking) if lacking else ('has unexpected', extra)
        raise InputError(f'{source} {kind} {len(keys)} key(s) of the model (e.g. {keys[0]})')
