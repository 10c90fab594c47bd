"""Loading CLIP weights from local files: OpenAI TorchScript, open_clip checkpoints, state dicts."""
import os

import pytest
import torch
from mmocr.registry import MODELS

from tcm.models.clip import load_clip_state_dict, resize_positional_embedding

from conftest import TINY_TEXT, TINY_VISUAL, tiny_tcm_cfg


@pytest.fixture(scope='module')
def clip_files(tiny_clip, tmp_path_factory):
    folder = tmp_path_factory.mktemp('clip')
    paths = dict(
        jit=str(folder / 'RN-tiny.pt'),
        plain=str(folder / 'plain.pth'),
        open_clip=str(folder / 'epoch_1.pt'))
    torch.jit.script(tiny_clip).save(paths['jit'])
    torch.save(tiny_clip.state_dict(), paths['plain'])
    torch.save(
        dict(
            epoch=1,
            name='tiny',
            state_dict={
                f'module.{k}': v
                for k, v in tiny_clip.state_dict().items()
            }), paths['open_clip'])
    return paths


@pytest.mark.parametrize('kind', ['jit', 'plain', 'open_clip'])
def test_every_file_kind_gives_the_same_state_dict(clip_files, tiny_clip, kind):
    state = load_clip_state_dict(clip_files[kind])
    for key, value in tiny_clip.state_dict().items():
        torch.testing.assert_close(state[key].float(), value.float(), msg=key)


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
    encoder = MODELS.build(dict(TINY_TEXT, context_length=18, pretrained=clip_files['plain']))
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
        load_clip_state_dict(str(path))
    assert '\n' not in str(info.value)


def test_truncated_file(clip_files, tmp_path):
    path = tmp_path / 'cut.pth'
    path.write_bytes(open(clip_files['plain'], 'rb').read()[:2000])
    with pytest.raises(ValueError, match='cut.pth: not a readable PyTorch checkpoint'):
        load_clip_state_dict(str(path))


def test_checkpoint_without_clip_keys(tmp_path):
    path = str(tmp_path / 'other.pth')
    torch.save({'conv.weight': torch.zeros(1)}, path)
    encoder = MODELS.build(TINY_VISUAL)
    encoder.pretrained = path
    with pytest.raises(ValueError, match='no CLIP image-encoder weights'):
        encoder.init_weights()


def test_clip_of_another_size_names_the_tensor(clip_files):
    encoder = MODELS.build(dict(TINY_VISUAL, width=16, pretrained=clip_files['plain']))
    with pytest.raises(ValueError, match='conv1.weight has shape .* expects'):
        encoder.init_weights()


def test_pickled_code_is_refused(tmp_path):
    marker = tmp_path / 'ran'

    class Payload:

        def __reduce__(self):
            return (os.system, (f'touch {marker}', ))

    path = str(tmp_path / 'evil.pth')
    torch.save({'visual.conv1.weight': Payload()}, path)
    with pytest.raises(ValueError, match='evil.pth: loading it would unpickle arbitrary objects'):
        load_clip_state_dict(path)
    assert not marker.exists()
