"""CLIP's plain text tower: EOT-pooled or every token, any context length, frozen."""
import pytest
import torch
from mmocr.registry import MODELS

from tcm.models.clip import tokenize_prompts

TINY = dict(type='CLIPTextEncoder', width=32, heads=2, layers=2, embed_dim=24)
IDS = tokenize_prompts(['a sign', 'the word hello'], 16)


def test_pooled_output_is_the_token_at_eot():
    encoder = MODELS.build(TINY).eval()
    with torch.no_grad():
        pooled, tokens = encoder(IDS), encoder(IDS, pool=False)
    assert pooled.shape == (2, 24) and tokens.shape == (2, 16, 24)
    torch.testing.assert_close(pooled, tokens[torch.arange(2), IDS.argmax(-1)])


def test_short_sequences_equal_the_same_tokens_padded_to_the_context():
    """Causal attention: 16 ids read exactly what the first 16 of 77 would."""
    encoder = MODELS.build(TINY).eval()
    padded = torch.nn.functional.pad(IDS, (0, 77 - 16))
    with torch.no_grad():
        torch.testing.assert_close(encoder(IDS, pool=False), encoder(padded, pool=False)[:, :16])


def test_longer_than_the_context_is_one_line():
    encoder = MODELS.build(dict(TINY, context_length=8))
    with pytest.raises(ValueError, match='16 tokens exceed the text encoder context_length 8'):
        encoder(IDS)


def test_frozen_tower_passes_gradients_through():
    encoder = MODELS.build(dict(TINY, frozen=True))
    assert not any(p.requires_grad for p in encoder.parameters())
    x = encoder.token_embedding(IDS).detach().requires_grad_()
    encoder.encode_embeddings(x, IDS.argmax(-1)).sum().backward()
    assert x.grad.abs().sum() > 0


def test_lower_layers_can_be_frozen():
    """CLIP4STR trains the upper half: embeddings and the first blocks frozen."""
    encoder = MODELS.build(dict(TINY, layers=3, frozen=2))
    frozen = {n for n, p in encoder.named_parameters() if not p.requires_grad}
    assert frozen == {'token_embedding.weight', 'positional_embedding'} | {
        n
        for n, _ in encoder.named_parameters()
        if n.startswith(('transformer.resblocks.0.', 'transformer.resblocks.1.'))
    }
    encoder(IDS).sum().backward()
    assert encoder.transformer.resblocks[2].attn.in_proj_weight.grad.abs().sum() > 0
    assert encoder.text_projection.grad.abs().sum() > 0
