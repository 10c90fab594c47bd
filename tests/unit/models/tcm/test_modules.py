"""The TCM blocks: language prompt generator, context decoder, instance-language matching."""
import torch
import torch.nn.functional as F
from mmocr.registry import MODELS

from tcm.models.tcm import instance_language_score


def reference_attention(attn, q, k, v):
    """The original formulation: per-head einsum, softmax, projection."""
    b, n, c = q.shape
    heads = attn.num_heads
    q = attn.q_proj(q).reshape(b, n, heads, -1)
    k = attn.k_proj(k).reshape(b, k.shape[1], heads, -1)
    v = attn.v_proj(v).reshape(b, v.shape[1], heads, -1)
    weights = (torch.einsum('bnkc,bmkc->bknm', q, k) * (c // heads)**-0.5).softmax(dim=-1)
    return attn.proj(torch.einsum('bknm,bmkc->bnkc', weights, v).reshape(b, n, c))


def tiny_decoder(**overrides):
    return MODELS.build(
        dict(
            dict(
                type='ContextDecoder',
                transformer_width=16,
                transformer_heads=4,
                transformer_layers=2,
                visual_dim=32), **overrides))


def test_prompt_generator_shape_and_init():
    gen = MODELS.build(dict(type='PromptGenerator', visual_dim=32, token_embed_dim=16))
    x = torch.randn(3, 32, requires_grad=True)
    out = gen(x)
    assert out.shape == (3, 16)
    out.sum().backward()
    assert x.grad.abs().sum() > 0
    assert gen.prompt_proj[4].bias.abs().sum() == 0
    assert gen.prompt_proj[1].weight.std() < 0.03


def test_context_decoder_matches_reference_attention():
    dec = tiny_decoder().eval()
    query, memory = torch.randn(2, 5, 32), torch.randn(2, 7, 32)
    with torch.no_grad():
        out = dec(query, memory)
        mem = dec.memory_proj(memory)
        x = dec.text_proj(query)
        for layer in dec.decoder:
            q = layer.norm1(x)
            x = x + reference_attention(layer.self_attn, q, q, q)
            x = x + reference_attention(layer.cross_attn, layer.norm2(x), mem, mem)
            x = x + layer.mlp(layer.norm3(x))
        expected = dec.out_proj(x)
    assert out.shape == (2, 5, 32)
    torch.testing.assert_close(out, expected, atol=1e-5, rtol=1e-5)


def test_context_decoder_gradients_and_dropout():
    dec = tiny_decoder(transformer_heads=2, transformer_layers=1, dropout=0.5)
    query = torch.randn(2, 4, 32, requires_grad=True)
    memory = torch.randn(2, 1, 32, requires_grad=True)
    out = dec(query, memory)
    out.sum().backward()
    assert query.grad.abs().sum() > 0 and memory.grad.abs().sum() > 0
    assert all(p.grad is not None for p in dec.parameters())
    dec.eval()
    torch.testing.assert_close(dec(query, memory), dec(query, memory))


def test_single_key_attention_skips_query_projection_exactly():
    """One prompt = one key: inference skips q/k_proj of every visual token, same result."""
    dec = tiny_decoder().eval()
    calls = []
    dec.decoder[0].cross_attn.q_proj.register_forward_hook(lambda *_: calls.append(1))
    # one memory per image, and one memory shared by all images (broadcast)
    for query, memory in ((torch.randn(2, 9, 32), torch.randn(2, 1, 32)), (torch.randn(3, 9, 32),
                                                                           torch.randn(1, 1, 32))):
        full = dec(query, memory).detach()  # gradients on: the full attention
        with torch.no_grad():
            fast = dec(query, memory)
        assert fast.shape == full.shape == query.shape
        torch.testing.assert_close(fast, full, atol=1e-6, rtol=1e-6)
    assert calls == [1, 1]  # only the passes with gradients projected the queries


def test_instance_language_score_is_cosine():
    dense, text = torch.randn(2, 8, 3, 4), torch.randn(2, 1, 8)
    score = instance_language_score(dense, text)
    assert score.shape == (2, 1, 3, 4)
    expected = F.cosine_similarity(dense, text[:, 0, :, None, None], dim=1)
    torch.testing.assert_close(score[:, 0], expected, atol=1e-6, rtol=1e-6)
    assert score.abs().max() <= 1 + 1e-6
