"""Safe loading of MMEngine checkpoints under torch >= 2.6.

torch now unpickles with ``weights_only=True`` by default and MMEngine 0.10.7's
own checkpoints fail that check (its message hub stores ``HistoryBuffer``
objects and numpy values), so ``--resume``, ``load_from`` and ``mim test`` broke.
Rather than turning the safe unpickler off, tcm allows exactly the extra types
those checkpoints hold. ``getattr`` is needed because a ``HistoryBuffer``
pickles its statistic methods as ``getattr(HistoryBuffer, 'mean')``; it is
replaced by a stand-in that resolves only those names.
"""
import pickle
from typing import Any

import numpy as np
import torch
from mmengine.logging import HistoryBuffer

# numpy >= 1.25 pickles a dtype through its class (numpy.dtypes.Float64DType, ...).
NUMERIC_DTYPES = sorted(
    {type(np.dtype(code))
     for code in np.typecodes['AllInteger'] + np.typecodes['AllFloat'] + '?'},
    key=str)


def history_buffer_getattr(obj: Any, name: str) -> Any:
    """``getattr`` restricted to the public statistic methods of ``HistoryBuffer``."""
    if obj is HistoryBuffer and not name.startswith('_') and callable(getattr(obj, name, None)):
        return getattr(obj, name)
    raise pickle.UnpicklingError(
        f'checkpoint asks for getattr({obj!r}, {name!r}), which is not allowed when '
        'loading with weights_only=True')


def allow_mmengine_checkpoints() -> None:
    """Register the types of MMEngine checkpoints with torch's ``weights_only`` unpickler."""
    torch.serialization.add_safe_globals([
        HistoryBuffer,
        np.ndarray,
        np.dtype,
        np.core.multiarray._reconstruct,
        np.core.multiarray.scalar,
        *NUMERIC_DTYPES,
        (history_buffer_getattr, 'builtins.getattr'),
    ])
