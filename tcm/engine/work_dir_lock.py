"""One training per work dir: a second one would interleave checkpoints and logs with the first.

The lock is an ``flock`` on ``WORK_DIR/.train.lock``, held while training runs; the kernel
drops it when the process ends however it ends, so a killed run never leaves a stale lock.
"""
import contextlib
import os
import os.path as osp
from typing import Iterator

from ..utils.errors import InputError

try:
    import fcntl
except ImportError:  # Windows: no flock, no lock
    fcntl = None

LOCK_NAME = '.train.lock'


@contextlib.contextmanager
def work_dir_lock(work_dir: str) -> Iterator[None]:
    """Hold the training lock of ``work_dir``; one ``InputError`` line if another process
    holds it."""
    if fcntl is None:
        yield
        return
    os.makedirs(work_dir, exist_ok=True)
    path = osp.join(work_dir, LOCK_NAME)
    with open(path, 'a+') as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            f.seek(0)
            owner = f.read().strip() or 'another process'
            raise InputError(f'{work_dir} is in use by another training ({owner}); wait for '
                             'it to end, or choose another --work-dir') from None
        f.seek(0)
        f.truncate()
        f.write(f'pid {os.getpid()}')
        f.flush()
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)
