"""Reading tensors from any PyTorch zip archive without running code stored in it.

``torch.load(weights_only=True)`` refuses files that pickle other objects (TorchScript
modules, a Lightning checkpoint's scheduler state); ``torch.jit.load`` and full unpickling
would run what they name. :func:`restricted_load` reads such archives with an unpickler that
rebuilds tensors, admits containers and primitives, and turns every other class the file
names into an inert :class:`Stub` holding the arguments and state it was given. No import,
constructor or ``__setstate__`` of the file's choosing runs.
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

    def __init__(self, name: str, args: Tuple = (), state: Any = None) -> None:
        self.name, self.args, self.state = name, args, state

    def __setstate__(self, state: Any) -> None:  # pickle's BUILD on a stub: keep, do not run
        self.state = state

    def __repr__(self) -> str:
        return f'Stub({self.name})'


def _stub_class(name: str) -> type:

    class _Named(Stub):

        def __new__(cls, *args, **kwargs):
            return Stub.__new__(cls)

        def __init__(self, *args, **kwargs) -> None:
            super().__init__(name, args)

    _Named.__qualname__ = f'Stub[{name}]'
    return _Named


def _rebuild_tensor(storage: Tensor, offset: int, size, stride, *_) -> Tensor:
    return storage.as_strided(tuple(size), tuple(stride), offset)


class _Unpickler(pickle.Unpickler):

    def __init__(self, file, archive: zipfile.ZipFile, prefix: str) -> None:
        super().__init__(file)
        self.archive, self.prefix, self.storages = archive, prefix, {}

    def find_class(self, module: str, name: str) -> Any:
        if module == 'torch._utils' and name in ('_rebuild_tensor', '_rebuild_tensor_v2'):
            return _rebuild_tensor
        if module == 'torch._utils' and name in ('_rebuild_parameter',
                                                 '_rebuild_parameter_with_state'):
            return lambda data, *_: data
        if module == 'torch' and name in STORAGE_DTYPES:
            return STORAGE_DTYPES[name]
        if (module, name) == ('collections', 'OrderedDict'):
            return OrderedDict
        return _stub_class(f'{module}.{name}')

    def persistent_load(self, pid: Tuple) -> Tensor:
        if not (isinstance(pid, tuple) and pid and pid[0] == 'storage'):
            raise pickle.UnpicklingError(f'unsupported persistent id {pid!r}')
        _, dtype, key, _, _ = pid
        if key not in self.storages:
            if isinstance(dtype, type) and issubclass(dtype, Stub):  # a storage class we lack
                raise pickle.UnpicklingError(f'unsupported storage type {dtype.__qualname__}')
            data = bytearray(self.archive.read(f'{self.prefix}data/{key}'))
            self.storages[key] = torch.frombuffer(data, dtype=dtype) if data else \
                torch.empty(0, dtype=dtype)
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
        try:
            with archive.open(pickles[0]) as f:
                return _Unpickler(f, archive, prefix).load()
        except Exception as exc:  # noqa: BLE001 - any failure of a corrupt file is one line
            raise InputError(f'{path}: its archive cannot be read ({type(exc).__name__}: '
                             f'{str(exc).splitlines()[0] if str(exc) else ""})') from None


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
