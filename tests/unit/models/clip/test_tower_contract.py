"""The contract every CLIP tower registered in MMOCR meets, checked against open_clip itself.

For each tower: a tiny tower is built, a tiny open_clip CLIP is saved as a file, the tower loads
it through tcm's CLIP loader with every key of its own state dict covered and no key of its
part of the file left over, and its output equals open_clip's own forward. A tower registered
without an entry here fails the first test.
"""
import pytest
import torch
import torch.nn.functional as F
from mmocr.registry import MODELS

from tcm.models.clip import load_clip_weights, read_clip_state_dict, tokenize_prompts

from conftest import tiny_open_clip

IDS = tokenize_prompts(['the pixels of many arbitrary-shape text instances.', 'a sign', 'x'], 77)


def resnet_outputs(tower, clip):
    x = torch.randn(2, 3, 64, 64)
    return tower(x)[-1][0], clip.visual(x)  # the mean token's output is CLIP's embedding


def vit_outputs(tower, clip):
    x = torch.randn(2, 3, 64, 64)
    clip.visual.output_tokens = True
    pooled, tokens = clip.visual(x)
    clip.visual.output_tokens = False
    ours = tower(x)
    return ours, torch.cat([pooled[:, None], tokens @ clip.visual.proj], dim=1)


def text_outputs(tower, clip):
    return tower(IDS), clip.encode_text(IDS)


def text_token_outputs(tower, clip):
    eot = IDS.argmax(dim=-1)
    return tower(IDS, pool=False)[torch.arange(3), eot], clip.encode_text(IDS)


def context_outputs(tower, clip):
    """With no learnable tokens and no shift, TCM's encoder is CLIP's text tower."""
    ids = tokenize_prompts(['the pixels of many arbitrary-shape text instances.', 'a sign'], 14)
    return tower(ids, torch.zeros(1, 0, 32))[0], clip.encode_text(F.pad(ids, (0, 77 - 14)))


TINY_TEXT = dict(width=32, heads=2, layers=1, embed_dim=32)
#: registered tower -> (tiny config, open_clip image tower, prefix of its keys, outputs)
TOWERS = {
    'CLIPResNetWithAttention':
    (dict(layers=[1, 1, 1, 1], width=8, heads=32, output_dim=32,
          input_resolution=64), 'resnet', 'visual.', resnet_outputs),
    'CLIPVisionTransformer':
    (dict(image_size=64, patch_size=16, width=32, layers=2, heads=2,
          output_dim=32), 'vit', 'visual.', vit_outputs),
    'CLIPTextEncoder': (TINY_TEXT, 'resnet', '', text_outputs),
    'CLIPTextContextEncoder': (dict(TINY_TEXT, context_length=14), 'resnet', '', context_outputs),
}


def registered_towers():
    return sorted(name for name, cls in MODELS.module_dict.items()
                  if hasattr(cls, 'clip_state_dict'))


def test_every_registered_tower_has_a_contract():
    assert registered_towers() == sorted(TOWERS)


@pytest.fixture(scope='module')
def clip_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp('towers')
    files = {}
    for kind in ('resnet', 'vit'):
        for quick_gelu in (True, False):
            model = tiny_open_clip(quick_gelu=quick_gelu, vit=kind == 'vit')
            path = str(folder / f'{kind}-{quick_gelu}.pt')
            torch.save(model.state_dict(), path)
            files[kind, quick_gelu] = model, path
    return files


# Each transformer tower with OpenAI's QuickGELU and with GELU (LAION's ViT-H); the ResNet
# tower's activations are ReLUs either way.
CASES = [(name, gelu) for name in sorted(TOWERS) for gelu in (True, False)
         if gelu or 'ResNet' not in name]


@pytest.mark.parametrize('name,quick_gelu', CASES)
def test_tower_loads_open_clip_weights_and_computes_its_forward(clip_files, name, quick_gelu):
    sizes, kind, prefix, outputs = TOWERS[name]
    clip, path = clip_files[kind, quick_gelu]
    extra = {} if 'ResNet' in name else dict(quick_gelu=quick_gelu)
    tower = MODELS.build(dict(type=name, pretrained=path, **sizes, **extra)).eval()
    tower.init_weights()
    part = tower.clip_state_dict(read_clip_state_dict(path))
    assert set(part) == set(tower.state_dict())  # every key covered, none left over
    reference = clip.state_dict()
    for key, value in tower.state_dict().items():
        expected = reference[prefix + key]
        if key == 'positional_embedding' and not prefix:  # text positions: truncated
            expected = expected[:value.shape[0]]
        assert torch.equal(value, expected), key
    torch.manual_seed(1)
    with torch.no_grad():
        ours, theirs = outputs(tower, clip)
    torch.testing.assert_close(ours, theirs, atol=1e-5, rtol=1e-5)


@pytest.mark.parametrize('name', sorted(TOWERS))
def test_tower_of_another_size_is_refused_in_one_line(clip_files, name):
    sizes, kind, _, _ = TOWERS[name]
    _, path = clip_files[kind, True]
    wider = dict(sizes, width=sizes['width'] * 2)
    if 'ResNet' in name:
        wider['heads'] = 32
    tower = MODELS.build(dict(type=name, **wider))
    with pytest.raises(ValueError, match='has shape .* expects') as info:
        load_clip_weights(tower, path)
    assert '\n' not in str(info.value) and path in str(info.value)
