"""One strict path for loading weights: a checkpoint of another model is refused with a count."""
import pytest
import torch
from torch import nn

from tcm.utils import InputError, load_weights, match_state_dict, read_checkpoint


def net(width=4):
    return nn.Sequential(nn.Linear(3, width), nn.BatchNorm1d(width), nn.Linear(width, 2))


def test_a_checkpoint_of_the_same_model_loads_exactly(tmp_path):
    source = net()
    torch.save(dict(state_dict=source.state_dict(), meta={}), tmp_path / 'ok.pth')
    target = net()
    match = load_weights(target, str(tmp_path / 'ok.pth'), 'ok.pth', 'net.py')
    assert match.complete and match.summary() == 'all 9 tensors match'
    assert all(
        torch.equal(a, b) for a, b in zip(source.state_dict().values(),
                                          target.state_dict().values()))


def test_distributed_prefix_and_bare_state_dicts_load():
    source = nn.Linear(3, 2)
    target = nn.Linear(3, 2)
    load_weights(target, {f'module.{k}': v for k, v in source.state_dict().items()}, 'x', 'y')
    assert torch.equal(target.weight, source.weight)


def test_another_architecture_is_one_line_with_the_count():
    other = {'backbone.conv.weight': torch.zeros(1), 'head.fc.bias': torch.zeros(1)}
    model = net()
    before = [t.clone() for t in model.state_dict().values()]
    with pytest.raises(InputError) as err:
        load_weights(model, dict(state_dict=other), 'dbnet.pth', 'tcm-dbnet.py')
    assert str(err.value) == (
        'dbnet.pth: 9 of 9 tensors missing or misshaped (e.g. 0.weight is missing), 2 '
        'unexpected (e.g. backbone.conv.weight); is this a checkpoint of tcm-dbnet.py?')
    assert all(torch.equal(a, b) for a, b in zip(before, model.state_dict().values()))


def test_misshaped_tensors_are_named_and_partial_loading_is_an_opt_in():
    wide = net(width=8).state_dict()
    model = net(width=4)
    with pytest.raises(
            InputError,
            match=
            r'7 of 9 tensors missing or misshaped \(e.g. 0.weight has shape \(8, 3\), the model \(4, 3\)\); '
            r'is this a checkpoint of c.py\? \(set partial_load=True\)'):
        load_weights(model, wide, 'w.pth', 'c.py', hint='set partial_load=True')
    untouched = model[0].weight.clone()
    match = load_weights(
        model, dict(wide, **{'2.bias': torch.ones(2)}), 'w.pth', 'c.py', partial=True)
    assert not match.complete and len(match.misshaped) == 7
    assert torch.equal(model[0].weight, untouched) and torch.equal(model[2].bias, torch.ones(2))


def test_files_that_are_not_checkpoints_are_one_line(tmp_path):
    (tmp_path / 'empty.pth').write_bytes(b'')
    (tmp_path / 'image.jpg').write_bytes(b'\xff\xd8\xff\xe0' + b'0' * 64)
    torch.save(dict(state_dict=nn.Linear(2, 2).state_dict()), tmp_path / 'full.pth')
    (tmp_path / 'cut.pth').write_bytes((tmp_path / 'full.pth').read_bytes()[:100])
    torch.save(['not', 'a', 'state', 'dict'], tmp_path / 'list.pth')
    cases = {
        'empty.pth': 'an empty file, not a checkpoint',
        'image.jpg': 'not a readable PyTorch checkpoint',
        'cut.pth': 'not a readable PyTorch checkpoint',
        'list.pth': 'holds no state dict of tensors',
    }
    for name, message in cases.items():
        with pytest.raises(InputError, match=message):
            load_weights(nn.Linear(2, 2), str(tmp_path / name), name, 'c.py')
    with pytest.raises(IsADirectoryError, match='a folder, not a checkpoint'):
        read_checkpoint(str(tmp_path))


def test_an_image_is_not_called_unsafe_even_with_unsafe_load(tmp_path):
    (tmp_path / 'image.jpg').write_bytes(b'\xff\xd8\xff\xe0' + b'0' * 64)
    with pytest.raises(InputError) as err:
        read_checkpoint(str(tmp_path / 'image.jpg'), unsafe=True)
    assert 'not a readable PyTorch checkpoint' in str(err.value) and 'unsafe' not in str(err.value)


def test_match_counts_each_kind():
    match = match_state_dict({
        'a': torch.zeros(2),
        'b': torch.zeros(3),
        'c': torch.zeros(1)
    }, {
        'a': torch.zeros(2),
        'b': torch.zeros(4),
        'd': torch.zeros(1)
    })
    assert (match.missing, [k for k, _, _ in match.misshaped], match.unexpected) == (['c'], ['b'],
                                                                                     ['d'])
