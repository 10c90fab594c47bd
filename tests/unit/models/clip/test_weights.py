"""CLIP weights from local files: every source layout, each tower's part, one-line errors."""
import os

import pytest
import torch
from mmocr.registry import MODELS

from tcm.models.clip import (from_mmocr_clip_resnet, load_clip_weights, read_clip_state_dict,
                             resize_positional_embedding)

from builders import TINY_CONTEXT_ENCODER, TINY_VISUAL, tiny_tcm_cfg
from conftest import tiny_open_clip


@pytest.fixture(scope='module')
def clip_files(tiny_clip, tmp_path_factory):
    folder = tmp_path_factory.mktemp('clip')
    paths = dict(
        jit=str(folder / 'RN-tiny.pt'),
        plain=str(folder / 'plain.pth'),
        open_clip=str(folder / 'epoch_1.pt'),
        safetensors=str(folder / 'tiny.safetensors'))
    torch.jit.script(tiny_clip).save(paths['jit'])
    torch.save(tiny_clip.state_dict(), paths['plain'])
    from safetensors.torch import save_file
    save_file({k: v.contiguous() for k, v in tiny_clip.state_dict().items()}, paths['safetensors'])
    torch.save(
        dict(
            epoch=1,
            name='tiny',
            state_dict={
                f'module.{k}': v
                for k, v in tiny_clip.state_dict().items()
            }), paths['open_clip'])
    return paths


@pytest.mark.parametrize('kind', ['jit', 'plain', 'open_clip', 'safetensors'])
def test_every_file_kind_gives_the_same_state_dict(clip_files, tiny_clip, kind, monkeypatch):

    def refuse(*args, **kwargs):
        raise AssertionError('torch.jit.load would run the archive')

    monkeypatch.setattr(torch.jit, 'load', refuse)
    state = read_clip_state_dict(clip_files[kind])
    for key, value in tiny_clip.state_dict().items():
        torch.testing.assert_close(state[key].float(), value.float(), msg=key)


def test_openai_vit_archive_loads_the_vit_tower(tmp_path):
    """A TorchScript ViT CLIP (OpenAI's ViT-B-16.pt layout), read without torch.jit.load."""
    clip = tiny_open_clip(vit=True)
    path = str(tmp_path / 'ViT-tiny.pt')
    torch.jit.script(clip).save(path)
    vit = MODELS.build(
        dict(
            type='CLIPVisionTransformer',
            image_size=96,  # a 6x6 grid: the 4x4 one of the file is resized
            patch_size=16,
            width=32,
            layers=2,
            heads=2,
            output_dim=32,
            pretrained=path))
    vit.init_weights()
    torch.testing.assert_close(
        vit.positional_embedding.data,
        resize_positional_embedding(clip.visual.positional_embedding, (6, 6)))
    torch.testing.assert_close(vit.proj.data, clip.visual.proj)


def mmocr_clip_resnet_layout(clip):
    """What MMOCR's oCLIP CLIPResNet saves: mmdet names, no attention pool (convert2mmocr.py)."""
    stem = {
        'conv1': 'stem.0',
        'bn1': 'stem.1',
        'conv2': 'stem.3',
        'bn2': 'stem.4',
        'conv3': 'stem.6',
        'bn3': 'stem.7'
    }
    state = {}
    for key, value in clip.visual.state_dict().items():
        if key.startswith('attnpool.'):
            continue
        head, _, rest = key.partition('.')
        key = f'{stem[head]}.{rest}' if head in stem else \
            key.replace('downsample.1.', 'downsample.2.').replace('downsample.0.', 'downsample.1.')
        state[key] = value
    return state


@pytest.mark.parametrize('prefix', ['', 'backbone.'], ids=['backbone', 'detector'])
def test_mmocr_oclip_resnet_layout_loads_the_resnet(tiny_clip, tmp_path, prefix):
    """MMOCR's resnet50-oclip layout, alone or as an MMOCR detector's backbone."""
    state = {prefix + k: v for k, v in mmocr_clip_resnet_layout(tiny_clip).items()}
    if prefix:
        state['neck.lateral_convs.0.conv.weight'] = torch.zeros(1)
    path = str(tmp_path / 'oclip.pth')
    torch.save(state, path)
    encoder = MODELS.build(dict(TINY_VISUAL, return_embeddings=False, pretrained=path))
    encoder.init_weights()
    for key, value in encoder.state_dict().items():
        torch.testing.assert_close(value, tiny_clip.visual.state_dict()[key], msg=key)
    with_pool = MODELS.build(dict(TINY_VISUAL, pretrained=path))
    with pytest.raises(ValueError, match='image encoder weights are missing .*attnpool'):
        with_pool.init_weights()  # TCM needs the attention pool, which MMOCR's file lacks


def test_other_layouts_pass_the_mmocr_adapter_unchanged(tiny_clip):
    state = tiny_clip.state_dict()
    assert from_mmocr_clip_resnet(state) is state


def test_image_encoder_loads_and_resizes_grid(clip_files, tiny_clip):
    encoder = MODELS.build(dict(TINY_VISUAL, input_resolution=128, pretrained=clip_files['jit']))
    encoder.init_weights()
    clip_pos = tiny_clip.visual.attnpool.positional_embedding  # 2x2 grid (64 px)
    assert encoder.attnpool.positional_embedding.shape == (1 + 16, 256)
    torch.testing.assert_close(encoder.attnpool.positional_embedding.data,
                               resize_positional_embedding(clip_pos, (4, 4)))
    torch.testing.assert_close(encoder.layer3[0].conv2.weight,
                               tiny_clip.visual.layer3[0].conv2.weight)


def test_text_encoder_loads_and_truncates_positions(clip_files, tiny_clip):
    encoder = MODELS.build(
        dict(TINY_CONTEXT_ENCODER, context_length=18, pretrained=clip_files['plain']))
    encoder.init_weights()
    torch.testing.assert_close(encoder.positional_embedding.data,
                               tiny_clip.positional_embedding[:18])
    torch.testing.assert_close(encoder.text_projection.data, tiny_clip.text_projection)


def test_detector_clip_pretrained_reaches_both_towers(clip_files, tiny_clip):
    model = MODELS.build(tiny_tcm_cfg(clip_pretrained=clip_files['open_clip']))
    model.init_weights()
    torch.testing.assert_close(model.backbone.conv1.weight, tiny_clip.visual.conv1.weight)
    torch.testing.assert_close(model.text_encoder.token_embedding.weight,
                               tiny_clip.token_embedding.weight)


def test_missing_file_is_one_clear_error(tmp_path):
    encoder = MODELS.build(dict(TINY_VISUAL, pretrained=str(tmp_path / 'RN50.pt')))
    with pytest.raises(FileNotFoundError, match='CLIP weights not found: .*RN50.pt'):
        encoder.init_weights()


def test_file_that_is_not_a_checkpoint(tmp_path):
    path = tmp_path / 'notes.pt'
    path.write_text('not a checkpoint')
    with pytest.raises(ValueError, match='notes.pt: not a readable PyTorch checkpoint') as info:
        read_clip_state_dict(str(path))
    assert '\n' not in str(info.value)


def test_truncated_file(clip_files, tmp_path):
    path = tmp_path / 'cut.pth'
    path.write_bytes(open(clip_files['plain'], 'rb').read()[:2000])
    with pytest.raises(ValueError, match='cut.pth: not a readable PyTorch checkpoint'):
        read_clip_state_dict(str(path))


def test_checkpoint_without_clip_keys(tmp_path):
    path = str(tmp_path / 'other.pth')
    torch.save({'conv.weight': torch.zeros(1)}, path)
    encoder = MODELS.build(TINY_VISUAL)
    encoder.pretrained = path
    with pytest.raises(ValueError, match='no CLIP image encoder weights \(keys visual\.\*\) found'):
        encoder.init_weights()


def test_clip_of_another_size_names_the_tensor(clip_files):
    encoder = MODELS.build(dict(TINY_VISUAL, width=16, pretrained=clip_files['plain']))
    with pytest.raises(ValueError, match='conv1.weight has shape .* expects'):
        encoder.init_weights()


def test_pickled_code_never_runs_and_only_tensors_are_taken(tmp_path, tiny_clip):
    marker = tmp_path / 'ran'

    class Payload:

        def __reduce__(self):
            return (os.system, (f'touch {marker}', ))

    path = str(tmp_path / 'evil.pth')
    torch.save(dict(state_dict=tiny_clip.state_dict(), hook=Payload()), path)
    state = read_clip_state_dict(path)
    assert not marker.exists() and set(state) == set(tiny_clip.state_dict())
    torch.save({'visual.conv1.weight': Payload()}, path)
    with pytest.raises(ValueError, match='evil.pth: no CLIP image encoder weights'):
        load_clip_weights(MODELS.build(TINY_VISUAL), path)
    assert not marker.exists()
