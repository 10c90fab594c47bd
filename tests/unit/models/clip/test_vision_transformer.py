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


def test_gradients_reach_every_part():
    vit = MODELS.build(TINY_VIT)
    vit(torch.randn(1, 3, 32, 48)).sum().backward()
    for name in ('conv1.weight', 'class_embedding', 'positional_embedding', 'proj'):
        assert dict(vit.named_parameters())[name].grad.abs().sum() > 0, name


def test_input_not_a_multiple_of_the_patch():
    vit = MODELS.build(TINY_VIT)
    with pytest.raises(ValueError, match='input size 64x70 is not a multiple of the 16x16 patch'):
        vit(torch.randn(1, 3, 64, 70))
