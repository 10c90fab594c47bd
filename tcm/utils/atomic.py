"""Writing files so that a crash or a bad input never leaves half a file behind.

Temporary files and folders are created with ``os.open`` / ``os.mkdir`` and modes 0o666 /
0o777, so the kernel applies the user's umask (and any default ACL) to them, as it does
for a plain ``open``. ``tempfile.mkstemp`` / ``mkdtemp`` would give 0o600 / 0o700, which
``os.replace`` / ``os.rename`` would carry to the output: a checkpoint or dataset only its
writer could read. Reading the umask instead would mean setting it for a moment, which is
process-wide and races with other threads creating files.
"""
import contextlib
import os
import os.path as osp
import secrets
import stat
from typing import IO, Callable, Iterator

_FLAGS = os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, 'O_NOFOLLOW', 0) \
    | getattr(os, 'O_BINARY', 0)


def _create_unique(folder: str, prefix: str, create: Callable[[str], object]):
    """``create(path)`` on a fresh random name in ``folder``; returns (its result, path)."""
    for _ in range(100):
        path = osp.join(folder, prefix + secrets.token_hex(4))
        try:
            return create(path), path
        except FileExistsError:
            continue
    raise FileExistsError(f'{folder}: no free temporary name starting with {prefix}')


def make_temp_file(folder: str, prefix: str):
    """A new file in ``folder`` with the mode a plain ``open`` gives; returns (fd, path)."""
    return _create_unique(folder, prefix, lambda path: os.open(path, _FLAGS, 0o666))


def make_temp_dir(folder: str, prefix: str) -> str:
    """A new folder in ``folder`` with the mode a plain ``os.makedirs`` gives."""
    return _create_unique(folder, prefix, lambda path: os.mkdir(path, 0o777))[1]


@contextlib.contextmanager
def atomic_write(path: str, mode: str = 'wb', force: bool = False, **kwargs) -> Iterator[IO]:
    """A temporary file beside ``path`` to write; it replaces ``path`` only once the block
    ends without an error (and is removed otherwise). ``path`` may exist only with ``force``;
    it then keeps its permissions, as when a file is rewritten in place."""
    if osp.exists(path) and not force:
        raise FileExistsError(f'{path} exists; pass --force to overwrite it')
    folder = osp.dirname(osp.abspath(path))
    os.makedirs(folder, exist_ok=True)
    try:
        handle, tmp = make_temp_file(folder, '.' + osp.basename(path) + '.')
    except OSError as exc:  # named by the file asked for, not the hidden temporary one
        raise OSError(exc.errno, f'cannot write {path}: {exc.strerror}') from None
    try:
        with os.fdopen(handle, mode, **kwargs) as f:
            if osp.isfile(path):
                os.chmod(tmp, stat.S_IMODE(os.stat(path).st_mode))
            yield f
        os.replace(tmp, path)
    except BaseException as exc:
        if osp.exists(tmp):
            os.remove(tmp)
        if isinstance(exc, OSError) and exc.errno is not None and str(path) not in str(exc):
            raise OSError(exc.errno, f'cannot write {path}: {exc.strerror}') from None
        raise
