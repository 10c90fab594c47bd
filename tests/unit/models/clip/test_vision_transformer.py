"""CLIP's ViT tower: every projected token, at CLIP's size and at others."""
import pytest
import torch
from mmocr.registry import MODELS

from tcm.models.clip import resize_positional_embedding

TINY_VIT = dict(
    type='CLIPVisionTransformer',
    image_size=64,
    patch_size=16,
    width=32,
    layers=1,
    heads=2,
    output_dim=24)


def test_tokens_are_class_then_patches_projected():
    vit = MODELS.build(TINY_VIT).eval()
    with torch.no_grad():
        tokens = vit(torch.randn(2, 3, 64, 64))
    assert tokens.shape == (2, 1 + 16, 24)


def test_other_input_sizes_read_the_resized_grid():
    """A 64x96 input (a 4x6 patch grid) reads the 4x4 grid resized bilinearly."""
    vit = MODELS.build(TINY_VIT).eval()
    x = torch.randn(1, 3, 64, 96)
    with torch.no_grad():
        tokens = vit(x)
        patches = vit.conv1(x).flatten(2).transpose(1, 2)  # 1, 24, 32
        sequence = torch.cat([vit.class_embedding.expand(1, 1, -1), patches], dim=1)
        sequence = sequence + resize_positional_embedding(vit.positional_embedding, (4, 6))
        expected = vit.ln_post(vit.transformer(vit.ln_pre(sequence))) @ vit.proj
    assert tokens.shape == (1, 1 + 24, 24)
    torch.testing.assert_close(tokens, expected)


def test_a_tower_for_word_crops_keeps_its_own_grid_and_takes_clips_square_one():
    """A 32x128 tower (4x16 patches of 8): its table is used as is at its size, resized from
    4x16 at others; a square CLIP table is resized to 4x16 on load."""
    vit = MODELS.build(dict(TINY_VIT, image_size=(32, 128), patch_size=8)).eval()
    assert vit.positional_embedding.shape == (1 + 64, 32)
    with torch.no_grad():
        tokens = vit(torch.randn(2, 3, 32, 128))
        taller = vit(torch.randn(1, 3, 64, 128))
    assert tokens.shape == (2, 65, 24) and taller.shape == (1, 1 + 128, 24)
    resized = resize_positional_embedding(vit.positional_embedding, (8, 16), (4, 16))
    assert resized.shape == (1 + 128, 32)
    torch.testing.assert_close(resized[1:].reshape(8, 16, 32)[:, 0].mean(0),
                               vit.positional_embedding[1:].reshape(4, 16, 32)[:, 0].mean(0))
    square = MODELS.build(dict(TINY_VIT, patch_size=8)).state_dict()  # 8x8 grid
    loaded = vit.clip_state_dict({'visual.' + k: v for k, v in square.items()})
    assert loaded['positional_embedding'].shape == (1 + 64, 32)


def test_gradients_reach_every_part():
    vit = MODELS.build(TINY_VIT)
    vit(torch.randn(1, 3, 32, 48)).sum().backward()
    for name in ('conv1.weight', 'class_embedding', 'positional_embedding', 'proj'):
        assert dict(vit.named_parameters())[name].grad.abs().sum() > 0, name


def test_input_not_a_multiple_of_the_patch():
    vit = MODELS.build(TINY_VIT)
    with pytest.raises(ValueError, match='input size 64x70 is not a multiple of the 16x16 patch'):
        vit(torch.randn(1, 3, 64, 70))
