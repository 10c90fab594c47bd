"""A second training in a work dir in use is refused; a dead one leaves no stale lock."""
import multiprocessing as mp

import pytest

from tcm.engine.work_dir_lock import work_dir_lock
from tcm.utils import InputError


def _hold(work_dir, ready, release):
    with work_dir_lock(work_dir):
        ready.set()
        release.wait(30)


def test_a_work_dir_in_use_is_refused_and_freed_when_its_owner_ends(tmp_path):
    ctx = mp.get_context('fork')
    ready, release = ctx.Event(), ctx.Event()
    owner = ctx.Process(target=_hold, args=(str(tmp_path), ready, release))
    owner.start()
    try:
        assert ready.wait(30)
        with pytest.raises(
                InputError, match=f'{tmp_path} is in use by another training '
                f'\\(pid {owner.pid}\\)'):
            with work_dir_lock(str(tmp_path)):
                pass
    finally:
        owner.kill()  # killed, not released: the kernel frees the lock
        owner.join()
    with work_dir_lock(str(tmp_path)):
        pass
