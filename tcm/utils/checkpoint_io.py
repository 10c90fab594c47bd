"""Reading user-supplied checkpoints safely, loading them strictly, writing them atomically.

Every tool and loader of tcm reads checkpoints through :func:`read_checkpoint` and loads
weights through :func:`load_weights`, so that a bad file is one line naming that file, and a
checkpoint of another model is refused with a count instead of silently leaving random
weights (``strict=False`` as MMEngine loads).
"""
import os
import os.path as osp
import re
from dataclasses import dataclass, field
from typing import Any, List, Mapping, Optional, Tuple

import torch
from torch import nn

from .atomic import atomic_write
from .errors import InputError


def refused_global(message: str) -> Optional[str]:
    """The object torch's ``weights_only`` unpickler refused, from its error message."""
    found = re.search(r'GLOBAL ([\w.]+)|got <class \'([\w.]+)\'>', message)
    return (found.group(1) or found.group(2)) if found else None


#: Set by ``--unsafe-load`` (:func:`tcm.utils.cli.allow_unsafe_load`), also for MMEngine.
UNSAFE_LOAD_ENV = 'TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD'


def read_checkpoint(path: str, unsafe: Optional[bool] = None) -> Any:
    """``torch.load`` a user's file with ``weights_only=True``, with one-line errors.

    ``unsafe=True`` is the explicit opt-in to full unpickling, which can run code
    stored in the file; use it only for files you trust. By default it is on only
    after ``--unsafe-load``.
    """
    if unsafe is None:
        unsafe = os.environ.get(UNSAFE_LOAD_ENV) == '1'
    if osp.isdir(path):
        raise IsADirectoryError(f'{path}: a folder, not a checkpoint file')
    if not osp.isfile(path):
        raise FileNotFoundError(f'{path}: no such file')
    if osp.getsize(path) == 0:
        raise InputError(f'{path}: an empty file, not a checkpoint')
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


@dataclass
class StateDictMatch:
    """How a checkpoint's tensors fit a model's: the keys it lacks, the ones whose shape
    differs (key, checkpoint shape, model shape) and the ones the model has no place for."""
    total: int
    missing: List[str] = field(default_factory=list)
    misshaped: List[Tuple[str, tuple, tuple]] = field(default_factory=list)
    unexpected: List[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not (self.missing or self.misshaped or self.unexpected)

    def summary(self) -> str:
        """E.g. ``312 of 312 tensors missing or misshaped (e.g. backbone.conv1.weight is
        missing), 4 unexpected (e.g. head.fc.weight)``."""
        parts = []
        if self.missing or self.misshaped:
            if self.misshaped:
                key, got, want = self.misshaped[0]
                example = f'{key} has shape {got}, the model {want}'
            else:
                example = f'{self.missing[0]} is missing'
            parts.append(f'{len(self.missing) + len(self.misshaped)} of {self.total} tensors '
                         f'missing or misshaped (e.g. {example})')
        if self.unexpected:
            parts.append(f'{len(self.unexpected)} unexpected (e.g. {self.unexpected[0]})')
        return ', '.join(parts) or f'all {self.total} tensors match'


def match_state_dict(own: Mapping[str, Any], state: Mapping[str, Any]) -> StateDictMatch:
    """Compare a checkpoint's ``state`` with a model's own state dict, key by key."""
    match = StateDictMatch(total=len(own))
    for key, value in own.items():
        if key not in state:
            match.missing.append(key)
        elif tuple(state[key].shape) != tuple(value.shape):
            match.misshaped.append((key, tuple(state[key].shape), tuple(value.shape)))
    match.unexpected = [k for k in state if k not in own]
    return match


def check_state_dict(own: Mapping[str, Any], state: Mapping[str, Any], source: str,
                     hint: str) -> None:
    """Raise one ``InputError`` line unless ``state`` has exactly ``own``'s keys and shapes:
    the first key whose shape differs (with ``hint``, e.g. which config to convert with), or
    how many keys are lacking or unexpected."""
    match = match_state_dict(own, state)
    if match.misshaped:
        key, got, want = match.misshaped[0]
        raise InputError(f'{source}: {key} has shape {got} but the config expects {want}; '
                         f'{hint}')
    if not match.complete:
        kind, keys = ('lacks', match.missing) if match.missing else ('has unexpected',
                                                                     match.unexpected)
        raise InputError(f'{source} {kind} {len(keys)} key(s) of the model (e.g. {keys[0]})')


def state_dict_of(checkpoint: Any, source: str) -> Mapping[str, torch.Tensor]:
    """The tensors of an MMEngine checkpoint (``state_dict``) or of a bare state dict, with
    the ``module.`` prefix of distributed wrappers removed."""
    state = checkpoint.get('state_dict', checkpoint) if isinstance(checkpoint, dict) else None
    if not isinstance(state, Mapping) or not state or not all(
            isinstance(v, torch.Tensor) for v in state.values()):
        raise InputError(f'{source}: holds no state dict of tensors (a checkpoint has them '
                         'under "state_dict")')
    return {re.sub(r'^module\.', '', k): v for k, v in state.items()}


def load_weights(model: nn.Module,
                 checkpoint: Any,
                 source: str,
                 config: str,
                 partial: bool = False,
                 hint: str = '') -> StateDictMatch:
    """Load ``checkpoint`` (a path, or a checkpoint read from ``source``) into ``model``.

    Strict: a checkpoint whose tensors do not all fit is one ``InputError`` line with the
    count ("312 of 312 tensors missing or misshaped ...; is this a checkpoint of CONFIG?").
    ``partial=True`` (fine-tuning from another model) loads the tensors that fit; the
    returned match says what was left out. ``hint`` ends the error line (how to opt in).
    """
    if isinstance(checkpoint, str):
        checkpoint = read_checkpoint(checkpoint)
    state = state_dict_of(checkpoint, source)
    own = model.state_dict()
    match = match_state_dict(own, state)
    if not match.complete and not partial:
        raise InputError(f'{source}: {match.summary()}; is this a checkpoint of {config}?' +
                         (f' ({hint})' if hint else ''))
    misshaped = {key for key, _, _ in match.misshaped}
    model.load_state_dict({
        k: v
        for k, v in state.items() if k in own and k not in misshaped
    },
                          strict=False)
    return match
