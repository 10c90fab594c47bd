"""Reading tensors from archives whose other objects must not run: TorchScript, full checkpoints."""
import argparse
import copyreg
import os

import pytest
import torch
from torch import nn

from tcm.utils import Stub, restricted_load, tensors_of


class Payload:

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f'touch {self.marker}', ))


class Odd:

    def __reduce_ex__(self, protocol):
        return (copyreg.__newobj__, (Odd, ))


def test_torchscript_module_tensors_equal_its_state_dict(tmp_path):
    module = nn.Sequential(nn.Conv2d(3, 4, 3), nn.BatchNorm2d(4), nn.Linear(4, 2).half())
    path = str(tmp_path / 'scripted.pt')
    torch.jit.script(module).save(path)
    tensors = tensors_of(restricted_load(path))
    state = module.state_dict()
    assert set(tensors) == set(state)
    for key, value in state.items():
        assert tensors[key].dtype == value.dtype and torch.equal(tensors[key], value), key


def test_planted_objects_become_stubs_and_never_run(tmp_path):
    marker = tmp_path / 'ran'
    path = str(tmp_path / 'evil.pth')
    weights = torch.arange(6.).reshape(2, 3)
    torch.save(
        dict(
            state_dict={
                'w': weights,
                'view': weights[:, 1]
            },
            lr_scheduler=argparse.Namespace(step=3),
            callback=Payload(marker)), path)
    loaded = restricted_load(path)
    assert not marker.exists()
    assert isinstance(loaded['callback'], Stub) and loaded['callback'].name == 'posix.system'
    assert isinstance(loaded['lr_scheduler'], Stub) and loaded['lr_scheduler'].state == {'step': 3}
    assert torch.equal(loaded['state_dict']['w'], weights)
    assert torch.equal(loaded['state_dict']['view'], weights[:, 1])  # views keep their layout
    assert set(tensors_of(loaded)) == {'state_dict.w', 'state_dict.view'}


@pytest.mark.parametrize('content', [b'', b'not an archive', b'PK\x03\x04 truncated'])
def test_unreadable_files_are_one_line(tmp_path, content):
    path = tmp_path / 'bad.pt'
    path.write_bytes(content)
    with pytest.raises(ValueError, match='bad.pt: not a readable PyTorch archive') as info:
        restricted_load(str(path))
    assert '\n' not in str(info.value)


def test_truncated_archive_is_one_line(tmp_path):
    path = tmp_path / 'cut.pt'
    torch.save({'w': torch.randn(64, 64)}, path)
    path.write_bytes(path.read_bytes()[:-2000])
    with pytest.raises(ValueError, match='cut.pt: ') as info:
        restricted_load(str(path))
    assert '\n' not in str(info.value)


def test_state_is_set_on_stubs_and_ordered_dicts_only(tmp_path):
    """A state dict's _metadata (set by BUILD) survives; BUILD on a tensor is refused."""
    state = torch.nn.Linear(2, 2).state_dict()
    path = str(tmp_path / 'state.pth')
    torch.save(state, path)
    loaded = restricted_load(path)
    assert loaded._metadata == state._metadata

    torch.save({'odd': Odd()}, path)  # NEWOBJ without any state: a stub, still printable
    odd = restricted_load(path)['odd']
    assert odd.state is None and 'Odd' in repr(odd) and tensors_of(odd) == {}

    import zipfile
    crafted = str(tmp_path / 'crafted.pth')
    torch.save({'w': torch.zeros(2)}, crafted)
    with zipfile.ZipFile(crafted) as archive:
        records = {name: archive.read(name) for name in archive.namelist()}
    pkl = next(name for name in records if name.endswith('data.pkl'))
    # the tensor of that archive, then BUILD with a state: what Tensor.__setstate__ would apply
    records[pkl] = (b'\x80\x02ctorch._utils\n_rebuild_tensor_v2\n((X\x07\x00\x00\x00storage'
                    b'ctorch\nFloatStorage\nX\x01\x00\x00\x000X\x03\x00\x00\x00cpuK\x02tQK\x00'
                    b'K\x02\x85K\x01\x85\x89ccollections\nOrderedDict\n)RtR}b.')
    with zipfile.ZipFile(crafted, 'w') as archive:
        for name, data in records.items():
            archive.writestr(name, data)
    with pytest.raises(ValueError, match='refused to set the state of a'):
        restricted_load(crafted)


def test_big_endian_archives_are_refused(tmp_path):
    import zipfile
    path = str(tmp_path / 'big.pth')
    torch.save({'w': torch.ones(2)}, path)
    with zipfile.ZipFile(path) as archive:
        records = {name: archive.read(name) for name in archive.namelist()}
    order = next(name for name in records if name.endswith('byteorder'))
    records[order] = b'big'
    with zipfile.ZipFile(path, 'w') as archive:
        for name, data in records.items():
            archive.writestr(name, data)
    with pytest.raises(ValueError, match='big.pth: a big-endian archive'):
        restricted_load(path)
