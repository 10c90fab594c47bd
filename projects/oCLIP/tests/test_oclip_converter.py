"""tools/convert_oclip_ckpt.py on checkpoints laid out as the original trainer saves them."""
import contextlib
import io
import os.path as osp
import re
import runpy

import pytest
import torch
from mmocr.models.common.backbones import CLIPResNet
from mmocr.registry import MODELS
from oclip.converter import to_original
from test_oclip_model import TINY

from tcm.models.clip import CLIPResNetWithAttention

from builders import ROOT

BASE = osp.join(ROOT, 'projects', 'oCLIP', 'configs', 'oclip_rn50_100e_synthtext.py')

TOOL = runpy.run_path(osp.join(ROOT, 'tools', 'convert_oclip_ckpt.py'))


def convert(*args):
    """The tool's main in this process: ``(exit code, its output)``."""
    out, err = io.StringIO(), io.StringIO()
    code = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            TOOL['main']([str(a) for a in args])
        except SystemExit as exc:  # sys.exit('error: ...') on user errors
            err.write(str(exc.code))
            code = 1
    return code, out.getvalue() + err.getvalue()


def save_original(model, path):
    """What the original trainer writes: module.-prefixed weights beside the optimizer."""
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4)
    torch.save(
        dict(
            epoch=3,
            name='run',
            state_dict=to_original(model.state_dict()),
            optimizer=optimizer.state_dict()), path)


@pytest.fixture(scope='module')
def tiny_checkpoint(tmp_path_factory):
    folder = tmp_path_factory.mktemp('oclip')
    torch.manual_seed(0)
    model = MODELS.build(TINY)
    with torch.no_grad():  # zero-initialised BN weights would hide a scrambled trunk
        for name, p in model.named_parameters():
            p.add_(0.05 * torch.randn_like(p))
    save_original(model, folder / 'epoch_3.pt')
    config = folder / 'tiny_oclip.py'
    config.write_text(f"_base_ = ['{BASE}']\nmodel = {TINY!r}\n")
    return model, folder, config


def test_to_oclip_restores_every_tensor(tiny_checkpoint):
    model, folder, config = tiny_checkpoint
    out = convert(folder / 'epoch_3.pt', folder / 'oclip.pth', '--to', 'oclip', '--config', config)
    assert out[0] == 0, out[1][-2000:]
    state = torch.load(folder / 'oclip.pth', weights_only=True)['state_dict']
    assert state.keys() == model.state_dict().keys()
    assert all(torch.equal(state[k], v) for k, v in model.state_dict().items())


def test_to_tcm_gives_the_image_encoder_with_its_attention_pool(tiny_checkpoint):
    model, folder, _ = tiny_checkpoint
    out = convert(folder / 'epoch_3.pt', folder / 'tcm.pth', '--to', 'tcm')
    assert out[0] == 0, out[1][-2000:]
    encoder = CLIPResNetWithAttention(
        layers=(1, 1, 1, 1),
        width=8,
        heads=4,
        output_dim=32,
        input_resolution=64,
        out_indices=(),
        pretrained=str(folder / 'tcm.pth'))
    encoder.init_weights()
    x = torch.randn(1, 3, 64, 64)
    with torch.no_grad():
        (global_token, _), = encoder.eval()(x)
        assert torch.allclose(global_token, model.eval().encode_image(x)[:, 0], atol=1e-6)


def test_to_tcm_with_clip_weights_puts_oclips_trunk_under_clips_pool_and_text(
        tiny_checkpoint, tmp_path):
    model, folder, _ = tiny_checkpoint
    torch.manual_seed(1)
    clip_image = CLIPResNetWithAttention(
        layers=(1, 1, 1, 1), width=8, heads=4, output_dim=64, input_resolution=64)
    clip = {'visual.' + k: v for k, v in clip_image.state_dict().items()}
    clip['text_projection'] = torch.randn(16, 64)
    torch.save(clip, tmp_path / 'clip.pt')
    code, text = convert(folder / 'epoch_3.pt', tmp_path / 'tcm.pth', '--to', 'tcm', '--clip',
                         tmp_path / 'clip.pt')
    assert code == 0, text
    merged = torch.load(tmp_path / 'tcm.pth', weights_only=True)
    assert merged.keys() == clip.keys()
    ours = model.state_dict()
    for key, value in merged.items():
        if key.startswith('visual.') and not key.startswith('visual.attnpool.'):
            assert torch.equal(value, ours['image_encoder.' + key[len('visual.'):]]), key
        else:
            assert torch.equal(value, clip[key]), key
    wide = CLIPResNetWithAttention(
        layers=(1, 1, 1, 1), width=16, heads=4, output_dim=64, input_resolution=64)
    torch.save({'visual.' + k: v for k, v in wide.state_dict().items()}, tmp_path / 'wide.pt')
    code, text = convert(folder / 'epoch_3.pt', tmp_path / 'x.pth', '--to', 'tcm', '--clip',
                         tmp_path / 'wide.pt')
    assert code and re.search(
        r'visual.conv1.weight is \(4, 3, 3, 3\) in oCLIP but '
        r'\(8, 3, 3, 3\) in the CLIP weights', text), text


def test_to_mmocr_loads_strictly_into_clipresnet_and_reads_alike(tmp_path):
    torch.manual_seed(0)
    model = MODELS.build(dict(type='OCLIP', first_stage=True))
    with torch.no_grad():
        for module in model.image_encoder.modules():
            if isinstance(module, torch.nn.BatchNorm2d):
                module.weight.normal_(1, 0.2)
                module.running_var.uniform_(0.5, 1.5)
    save_original(model, tmp_path / 'epoch_1.pt')
    out = convert(tmp_path / 'epoch_1.pt', tmp_path / 'mmocr.pth', '--to', 'mmocr')
    assert out[0] == 0, out[1][-2000:]
    state = torch.load(tmp_path / 'mmocr.pth', weights_only=True)
    assert len(state) == 330 and 'stem.7.running_var' in state
    backbone = CLIPResNet()
    backbone.load_state_dict(state, strict=True)
    backbone.eval()  # mmdet's ResNet.train returns None
    x = torch.randn(1, 3, 64, 64)
    encoder = model.image_encoder.eval()
    with torch.no_grad():
        c5 = encoder.layer4(encoder.layer3(encoder.layer2(encoder.layer1(encoder.stem(x)))))
        assert torch.allclose(backbone(x)[-1], c5, atol=1e-5)


def test_bad_input_is_one_line(tiny_checkpoint, tmp_path):
    _, folder, config = tiny_checkpoint
    torch.save(dict(state_dict=dict(w=torch.zeros(1))), tmp_path / 'other.pt')
    cases = [
        ((tmp_path / 'other.pt', tmp_path / 'a.pth', '--to', 'tcm'), 'not an oCLIP checkpoint'),
        ((folder / 'epoch_3.pt', tmp_path / 'b.pth', '--to', 'oclip', '--config', BASE),
         'has shape .* but the config expects .*; convert with the config of its variant'),
        ((folder / 'epoch_3.pt', tmp_path / 'c.pth', '--to', 'mmocr'),
         "MMOCR's CLIPResNet has depth 50 only"),
        ((folder / 'epoch_3.pt', folder / 'epoch_3.pt', '--to', 'tcm'), 'exists; pass --force'),
        ((tmp_path / 'nothing.pt', tmp_path / 'd.pth', '--to', 'tcm'), 'no such file'),
    ]
    for args, message in cases:
        code, text = convert(*args)
        assert code != 0
        last = text.strip().splitlines()[-1]
        assert last.startswith('error: ') and re.search(message, last), last
    assert not any(osp.exists(tmp_path / f'{n}.pth') for n in 'abcd')
