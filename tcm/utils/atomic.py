"""Writing files so that a crash or a bad input never leaves half a file behind."""
import contextlib
import os
import os.path as osp
import tempfile
from typing import IO, Iterator


@contextlib.contextmanager
def atomic_write(path: str, mode: str = 'wb', force: bool = False, **kwargs) -> Iterator[IO]:
    """A temporary file beside ``path`` to write; it replaces ``path`` only once the block
    ends without an error (and is removed otherwise). ``path`` may exist only with ``force``."""
    if osp.exists(path) and not force:
        raise FileExistsError(f'{path} exists; pass --force to overwrite it')
    folder = osp.dirname(osp.abspath(path))
    os.makedirs(folder, exist_ok=True)
    handle, tmp = tempfile.mkstemp(prefix='.' + osp.basename(path) + '.', dir=folder)
    try:
        with os.fdopen(handle, mode, **kwargs) as f:
            yield f
        os.replace(tmp, path)
    except BaseException:
        if osp.exists(tmp):
            os.remove(tmp)
        raise
