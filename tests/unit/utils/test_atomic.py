"""Atomic outputs get the permissions the user's umask gives, as a plain open / makedirs would;
a failed write leaves nothing behind."""
import os
import stat

import pytest

from tcm.datasets import make_toy_textdet
from tcm.datasets.textdet_json import new_dataset_dir
from tcm.utils.atomic import atomic_write


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture(params=[0o022, 0o002], ids=['umask022', 'umask002'])
def umask(request):
    old = os.umask(request.param)
    yield request.param
    os.umask(old)


def test_atomic_write_gives_the_umask_mode(tmp_path, umask):
    path = tmp_path / 'out.bin'
    with atomic_write(str(path)) as f:
        f.write(b'data')
    assert path.read_bytes() == b'data'
    assert mode(path) == 0o666 & ~umask
    open(tmp_path / 'plain.bin', 'wb').close()
    assert mode(path) == mode(tmp_path / 'plain.bin')


def test_overwriting_keeps_the_mode_of_the_file(tmp_path, umask):
    path = tmp_path / 'private.txt'
    path.write_text('old')
    path.chmod(0o640)
    with atomic_write(str(path), 'w', force=True) as f:
        f.write('new')
    assert path.read_text() == 'new' and mode(path) == 0o640


def test_a_failed_write_leaves_nothing(tmp_path, umask):
    with pytest.raises(RuntimeError):
        with atomic_write(str(tmp_path / 'out.bin')) as f:
            f.write(b'half')
            raise RuntimeError
    assert os.listdir(tmp_path) == []


def test_dataset_folders_get_the_umask_mode(tmp_path, umask):
    with new_dataset_dir(str(tmp_path / 'data')) as work:
        assert mode(work) == 0o777 & ~umask
    assert mode(tmp_path / 'data') == 0o777 & ~umask
    root = make_toy_textdet(str(tmp_path / 'toy'), num_train=1, num_test=1, size=64)
    assert mode(root) == 0o777 & ~umask
    assert mode(os.path.join(root, 'textdet_train.json')) == 0o666 & ~umask


def test_an_unwritable_folder_is_reported_under_the_files_own_name(tmp_path, monkeypatch):
    import tcm.utils.atomic as atomic

    def refuse(folder, prefix):  # what a read-only folder does (root is never refused)
        raise PermissionError(13, 'Permission denied', os.path.join(folder, prefix + 'x'))

    monkeypatch.setattr(atomic, 'make_temp_file', refuse)
    with pytest.raises(OSError) as err:
        with atomic_write(str(tmp_path / 'out.json'), 'w') as f:
            f.write('{}')
    assert str(err.value) == f'[Errno 13] cannot write {tmp_path / "out.json"}: Permission denied'
    assert os.listdir(tmp_path) == []
