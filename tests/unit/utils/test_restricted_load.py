"""Reading tensors from archives whose other objects must not run: TorchScript, full checkpoints."""
import argparse
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
