"""Reading tensors from any PyTorch zip archive without running code stored in it.

``torch.load(weights_only=True)`` refuses files that pickle other objects (TorchScript
modules, a Lightning checkpoint's scheduler state); ``torch.jit.load`` and full unpickling
would run what they name. :func:`restricted_load` reads such archives with an unpickler that
rebuilds tensors, admits containers and primitives, and turns every other class the file
names into an inert :class:`Stub` holding the arguments and state it was given. No import,
constructor or ``__setstate__`` of the file's choosing runs, and state can be set only on
stubs and ordered dicts (``torch.save`` keeps a state dict's ``_metadata`` that way).
"""
import pickle
import zipfile
from collections import OrderedDict
from typing import Any, Dict, Tuple

import torch
from torch import Tensor

from .errors import InputError

#: Legacy storage class names (how archives name a storage's element type) -> dtype.
STORAGE_DTYPES = {
    'DoubleStorage': torch.float64,
    'FloatStorage': torch.float32,
    'HalfStorage': torch.float16,
    'BFloat16Storage': torch.bfloat16,
    'LongStorage': torch.int64,
    'IntStorage': torch.int32,
    'ShortStorage': torch.int16,
    'CharStorage': torch.int8,
    'ByteStorage': torch.uint8,
    'BoolStorage': torch.bool,
}


class Stub:
    """Stands for an object of a class the reader does not admit (``name`` = ``module.Class``)."""
    name: str = ''
    args: Tuple = ()
    state: Any = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.args = args

    def __setstate__(self, state: Any) -> None:  # pickle's BUILD on a stub: keep, do not run
        self.state = state

    def __repr__(self) -> str:
        return f'Stub({self.name})'


def _stub_class(name: str) -> type:
    """A fresh stub class per name; pickle may create it with ``__new__`` alone (NEWOBJ)."""
    return type(f'Stub[{name}]', (Stub, ), dict(name=name))


class _Unpickler(pickle._Unpickler):  # the pure-Python unpickler, whose opcodes can be overridden
    dispatch = dict(pickle._Unpickler.dispatch)

    def __init__(self, file, archive: zipfile.ZipFile, prefix: str) -> None:
        super().__init__(file)
        self.archive, self.prefix, self.storages = archive, prefix, {}

    def find_class(self, module: str, name: str) -> Any:
        # Rebuild functions are fresh per call, so that nothing a file does to them outlives it.
        if module == 'torch._utils' and name in ('_rebuild_tensor', '_rebuild_tensor_v2'):
            return lambda storage, offset, size, stride, *_: storage.as_strided(
                tuple(size), tuple(stride), offset)
        if module == 'torch._utils' and name in ('_rebuild_parameter',
                                                 '_rebuild_parameter_with_state'):
            return lambda data, *_: data
        if module == 'torch' and name in STORAGE_DTYPES:
            return STORAGE_DTYPES[name]
        if (module, name) == ('collections', 'OrderedDict'):
            return OrderedDict
        return _stub_class(f'{module}.{name}')

    def load_build(self) -> None:
        state = self.stack.pop()
        target = self.stack[-1]
        if isinstance(target, Stub):
            target.__setstate__(state)
        elif type(target) is OrderedDict and isinstance(state, dict):
            vars(target).update({k: v for k, v in state.items() if isinstance(k, str)})
        else:
            raise pickle.UnpicklingError(f'refused to set the state of a {type(target).__name__}')

    dispatch[pickle.BUILD[0]] = load_build

    def persistent_load(self, pid: Tuple) -> Tensor:
        if not (isinstance(pid, tuple) and len(pid) == 5 and pid[0] == 'storage'):
            raise pickle.UnpicklingError(f'unsupported persistent id {pid!r}')
        _, dtype, key, _, _ = pid
        if not isinstance(dtype, torch.dtype):
            raise pickle.UnpicklingError(f'unsupported storage type {dtype!r}')
        if key not in self.storages:
            data = bytearray(self.archive.read(f'{self.prefix}data/{key}'))
            # Not resizable: frombuffer views the bytes (an empty storage stays empty).
            self.storages[key] = torch.frombuffer(data, dtype=dtype) if data else \
                torch.frombuffer(bytearray(dtype.itemsize), dtype=dtype)[:0]
        return self.storages[key]


def restricted_load(path: str) -> Any:
    """The object pickled in the zip archive at ``path`` (``torch.save`` or TorchScript), with
    tensors rebuilt on the CPU and every non-container object as a :class:`Stub`."""
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        raise InputError(f'{path}: not a readable PyTorch archive ({exc})') from None
    with archive:
        pickles = [name for name in archive.namelist() if name.endswith('/data.pkl')]
        if len(pickles) != 1:
            raise InputError(f'{path}: not a PyTorch archive (no single data.pkl inside)')
        prefix = pickles[0][:-len('data.pkl')]
        if f'{prefix}byteorder' in archive.namelist() and \
                archive.read(f'{prefix}byteorder').strip() != b'little':
            raise InputError(f'{path}: a big-endian archive; load it with torch.load on the '
                             'machine that wrote it and save it again')
        try:
            with archive.open(pickles[0]) as f:
                return _Unpickler(f, archive, prefix).load()
        except Exception as exc:  # noqa: BLE001 - any failure of a corrupt file is one line
            reason = str(exc).splitlines()[0] if str(exc) else ''
            raise InputError(f'{path}: its archive cannot be read ({type(exc).__name__}: '
                             f'{reason})') from None


def tensors_of(obj: Any, prefix: str = '') -> Dict[str, Tensor]:
    """Every tensor reachable from ``obj`` through dicts and stub states, keyed by dotted path
    (a TorchScript module tree gives its ``state_dict`` names)."""
    if isinstance(obj, Tensor):
        return {prefix[:-1]: obj}
    if isinstance(obj, Stub):
        obj = obj.state
    found = {}
    if isinstance(obj, dict):
        for key, value in obj.items():
            if isinstance(key, str):
                found.update(tensors_of(value, f'{prefix}{key}.'))
    return found
