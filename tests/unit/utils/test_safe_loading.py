"""MMEngine checkpoints load with weights_only=True; checkpoints that would run code do not."""
import os

import pytest
import torch
from mmengine.logging import HistoryBuffer
from mmengine.runner import load_checkpoint
from torch import nn

import tcm  # noqa: F401  (registers the allowed types)


class Payload:
    """Unpickling this runs a shell command."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f'touch {self.marker}', ))


class AttributeGrab:
    """Unpickling this reaches a class's internals through getattr."""

    def __reduce__(self):
        return (getattr, (HistoryBuffer, '__init__'))


def test_history_buffer_and_numpy_values_load_safely(tmp_path):
    import numpy as np
    buffer = HistoryBuffer()
    buffer.update(np.float64(0.5))
    path = str(tmp_path / 'hub.pth')
    torch.save(dict(log_scalars={'loss': buffer}, seed=np.int64(3), arr=np.zeros(3)), path)
    state = torch.load(path, weights_only=True)
    assert state['log_scalars']['loss'].mean() == 0.5


def test_planted_code_does_not_run(tmp_path):
    marker = tmp_path / 'ran'
    path = str(tmp_path / 'evil.pth')
    torch.save(dict(state_dict={'weight': torch.zeros(1)}, meta=Payload(marker)), path)
    with pytest.raises(Exception, match='Weights only load failed'):
        load_checkpoint(nn.Linear(1, 1), path)
    assert not marker.exists()


def test_getattr_is_limited_to_history_buffer_statistics(tmp_path):
    path = str(tmp_path / 'grab.pth')
    torch.save({'x': AttributeGrab()}, path)
    with pytest.raises(Exception, match="getattr.*'__init__'.*not allowed"):
        torch.load(path, weights_only=True)
