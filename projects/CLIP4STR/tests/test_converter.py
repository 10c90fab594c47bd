"""Converting CLIP4STR's released checkpoints: safe reading, renaming, charset rows, bad input."""
import os
import subprocess
import sys

import pytest
import torch
from clip4str.converter import DEFAULT_CHARSET, released_layout
from mmocr.registry import MODELS
from test_clip4str import TINY
from torch.optim.lr_scheduler import OneCycleLR

from builders import ROOT

TOOL = os.path.join(ROOT, 'tools', 'convert_clip4str_ckpt.py')


def tiny_config(tmp_path):
    path = tmp_path / 'tiny_clip4str.py'
    path.write_text(f"custom_imports = dict(imports=['clip4str'])\ndefault_scope = 'mmocr'\n"
                    f'model = {TINY!r}\n')
    return str(path)


def perturbed():
    torch.manual_seed(0)
    model = MODELS.build(TINY).eval()
    with torch.no_grad():
        for tensor in model.state_dict().values():
            if tensor.is_floating_point():
                tensor.add_(torch.randn_like(tensor) * 0.05)
    return model


class Payload:

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f'touch {self.marker}', ))


def lightning_file(path, state, charset=DEFAULT_CHARSET, marker=None):
    """What PyTorch Lightning 1.6 saves: the weights beside optimizer and scheduler states."""
    weights = torch.nn.Linear(2, 2)
    optimizer = torch.optim.AdamW(weights.parameters())
    scheduler = OneCycleLR(optimizer, 1e-3, total_steps=10)
    checkpoint = dict(
        epoch=3,
        global_step=10,
        state_dict=state,
        hyper_parameters=dict(charset_train=charset, max_label_length=25),
        optimizer_states=[optimizer.state_dict()],
        lr_schedulers=[scheduler.state_dict()],
        callbacks={} if marker is None else dict(hook=Payload(marker)))
    torch.save(checkpoint, path)


def convert(*args):
    return subprocess.run([sys.executable, TOOL, *map(str, args)],
                          cwd=ROOT,
                          capture_output=True,
                          text=True)


def outputs(model, inputs):
    with torch.no_grad():
        return model.decode(model.extract_feat(inputs))


@pytest.mark.slow
def test_released_file_converts_to_identical_outputs_without_running_its_objects(tmp_path):
    model = perturbed()
    src, dst, marker = tmp_path / 'released.ckpt', tmp_path / 'converted.pth', tmp_path / 'ran'
    lightning_file(src, released_layout(model), marker=marker)
    with pytest.raises(Exception):
        torch.load(src, weights_only=True)  # what weights_only refuses, the tool still reads
    run = convert(src, dst, '--config', tiny_config(tmp_path))
    assert run.returncode == 0, run.stderr[-2000:]
    assert f'mapped {len(model.state_dict())} tensors' in run.stdout and not marker.exists()
    fresh = MODELS.build(TINY).eval()
    fresh.load_state_dict(torch.load(dst, weights_only=True)['state_dict'], strict=True)
    inputs = torch.randn(2, 3, 32, 64)
    for ours, theirs in zip(outputs(fresh, inputs), outputs(model, inputs)):
        torch.testing.assert_close(ours, theirs, rtol=0, atol=0)
    assert convert(src, dst, '--config', tiny_config(tmp_path)).returncode != 0  # exists
    assert convert(src, dst, '--config', tiny_config(tmp_path), '--force').returncode == 0


def test_rows_follow_the_checkpoint_charset_by_character(tmp_path):
    """A checkpoint trained on the charset in another order maps onto the dictionary."""
    from clip4str.converter import convert_clip4str
    model = perturbed()
    shuffled = ''.join(reversed(DEFAULT_CHARSET))
    src = tmp_path / 'shuffled.ckpt'
    lightning_file(src, released_layout(model, shuffled), charset=shuffled)
    state = convert_clip4str(str(src), MODELS.build(TINY))['state_dict']
    for key in ('visual_decoder.text_embed.embedding.weight', 'cross_decoder.head.weight'):
        torch.testing.assert_close(state[key], model.state_dict()[key], rtol=0, atol=0)


def test_bad_input_is_one_line(tmp_path):
    from clip4str.converter import convert_clip4str
    model = MODELS.build(TINY)
    other = tmp_path / 'other.ckpt'
    lightning_file(
        other, dict(released_layout(perturbed()), **{'visual_decoder.head.bias': torch.zeros(7)}))
    with pytest.raises(ValueError, match='other.ckpt: visual_decoder.head.bias has 7 rows'):
        convert_clip4str(str(other), model)
    wrong = tmp_path / 'wrong.ckpt'
    state = released_layout(perturbed())
    state['clip_model.visual.conv1.weight'] = torch.zeros(768, 3, 16, 16)
    lightning_file(wrong, state)
    with pytest.raises(
            ValueError,
            match=r'image_encoder.conv1.weight has shape \(768, 3, 16, 16\) '
            r'but the config expects \(64, 3, 16, 16\)'):
        convert_clip4str(str(wrong), model)
    plain = tmp_path / 'plain.pth'
    torch.save({'w': torch.zeros(1)}, plain)
    with pytest.raises(ValueError, match='plain.pth: not a CLIP4STR checkpoint'):
        convert_clip4str(str(plain), model)
    short = tmp_path / 'short.ckpt'
    lightning_file(short, released_layout(perturbed()), charset=DEFAULT_CHARSET[:-1])
    with pytest.raises(ValueError, match="trained on a charset without '~'"):
        convert_clip4str(str(short), model)
