"""CLIP's ResNet tower: levels and embeddings, out_indices, the dense pool's run-time grid."""
import pytest
import torch
import torch.nn.functional as F
from mmocr.registry import MODELS

from tcm.models.clip import resize_positional_embedding

from builders import TINY_VISUAL


def test_image_encoder_levels_and_embeddings():
    encoder = MODELS.build(TINY_VISUAL)
    x = torch.randn(2, 3, 96, 160, requires_grad=True)
    *levels, (global_embedding, dense) = encoder(x)
    assert [tuple(t.shape) for t in levels] == [(2, 32, 24, 40), (2, 64, 12, 20), (2, 128, 6, 10),
                                                (2, 256, 3, 5)]
    assert encoder.out_channels == [32, 64, 128, 256]
    assert global_embedding.shape == (2, 32) and dense.shape == (2, 32, 3, 5)
    (global_embedding.sum() + dense.sum()).backward()
    assert x.grad.abs().sum() > 0
    assert encoder.attnpool.positional_embedding.grad.abs().sum() > 0


def test_image_encoder_out_indices():
    encoder = MODELS.build(dict(TINY_VISUAL, out_indices=(1, 2, 3)))
    outputs = encoder(torch.randn(1, 3, 64, 64))
    assert len(outputs) == 4 and outputs[0].shape[1] == 64
    assert encoder.out_channels == [64, 128, 256]


def test_image_encoder_rejects_size_not_divisible_by_32():
    encoder = MODELS.build(TINY_VISUAL)
    with pytest.raises(ValueError, match='100x64 is not divisible by 32'):
        encoder(torch.randn(1, 3, 100, 64))


def test_global_embedding_equals_clip_pooled_output(tiny_clip):
    """At CLIP's own resolution the mean token's output is exactly CLIP's image embedding."""
    encoder = MODELS.build(TINY_VISUAL)
    visual = {
        k[len('visual.'):]: v
        for k, v in tiny_clip.state_dict().items() if k.startswith('visual.')
    }
    encoder.load_state_dict(visual)
    encoder.eval()
    x = torch.randn(2, 3, 64, 64)
    with torch.no_grad():
        global_embedding, _ = encoder(x)[-1]
        expected = tiny_clip.visual(x)
    torch.testing.assert_close(global_embedding, expected, atol=1e-5, rtol=1e-5)


def test_dense_tokens_use_interpolated_grid():
    """Non-square inputs read the stored grid bilinearly resized to the feature size."""
    encoder = MODELS.build(TINY_VISUAL).eval()
    pool = encoder.attnpool
    c5 = torch.randn(1, 256, 3, 4)
    with torch.no_grad():
        _, dense = pool(c5)
        pos = resize_positional_embedding(pool.positional_embedding, (3, 4))
        tokens = torch.cat([c5.flatten(2).mean(-1, keepdim=True),
                            c5.flatten(2)], -1).permute(2, 0, 1)
        tokens = tokens + pos[:, None]
        out, _ = F.multi_head_attention_forward(
            tokens,
            tokens,
            tokens,
            256,
            pool.num_heads,
            None,
            torch.cat([pool.q_proj.bias, pool.k_proj.bias, pool.v_proj.bias]),
            None,
            None,
            False,
            0.,
            pool.c_proj.weight,
            pool.c_proj.bias,
            use_separate_proj_weight=True,
            q_proj_weight=pool.q_proj.weight,
            k_proj_weight=pool.k_proj.weight,
            v_proj_weight=pool.v_proj.weight,
            need_weights=False)
    torch.testing.assert_close(
        dense, out[1:].permute(1, 2, 0).reshape(1, 32, 3, 4), atol=1e-5, rtol=1e-5)


def test_resize_positional_embedding_keeps_mean_token():
    pos = torch.randn(1 + 4, 8)
    resized = resize_positional_embedding(pos, (4, 6))
    assert resized.shape == (1 + 24, 8)
    assert torch.equal(resized[0], pos[0])
    assert resize_positional_embedding(pos, (2, 2)) is pos
    with pytest.raises(ValueError, match='not 1 \\+ a square grid'):
        resize_positional_embedding(torch.randn(7, 8), (2, 2))
