"""TCM's prompt assembly on CLIP's text tower: learnable context, per-image shift, EOT pooling."""
import pytest
import torch
import torch.nn.functional as F
from mmocr.registry import MODELS

from tcm.models.clip import tokenize_prompts

from builders import TINY_CONTEXT_ENCODER


def test_text_encoder_inserts_context_and_pools_eot():
    encoder = MODELS.build(dict(TINY_CONTEXT_ENCODER, context_length=14 + 4))
    ids = tokenize_prompts(['the pixels of many arbitrary-shape text instances.'], 14)
    contexts = torch.randn(1, 4, 32, requires_grad=True)
    shift = torch.randn(3, 32, requires_grad=True)
    out = encoder(ids, contexts, shift)
    assert out.shape == (3, 1, 32)
    out.sum().backward()
    assert contexts.grad.abs().sum() > 0 and shift.grad.abs().sum() > 0
    # Each image's shift changes only its own embedding.
    other = encoder(ids, contexts, torch.cat([shift[:1], torch.randn(2, 32)]))
    torch.testing.assert_close(other[0], out[0])
    assert not torch.allclose(other[1], out[1])


def test_text_encoder_without_context_equals_clip(tiny_clip):
    """With no learnable tokens and no shift the encoder is CLIP's text tower."""
    encoder = MODELS.build(dict(TINY_CONTEXT_ENCODER, context_length=14)).eval()
    weights = {
        k: v
        for k, v in tiny_clip.state_dict().items()
        if not k.startswith('visual.') and k != 'logit_scale'
    }
    weights['positional_embedding'] = weights['positional_embedding'][:14]
    encoder.load_state_dict(weights, strict=False)
    ids = tokenize_prompts(['the pixels of many arbitrary-shape text instances.', 'text'], 14)
    with torch.no_grad():
        ours = encoder(ids, torch.zeros(1, 0, 32))[0]
        expected = tiny_clip.encode_text(F.pad(ids, (0, 77 - 14)))
    torch.testing.assert_close(ours, expected, atol=1e-5, rtol=1e-5)


def test_frozen_text_encoder_still_passes_gradients_to_prompts():
    encoder = MODELS.build(dict(TINY_CONTEXT_ENCODER, context_length=18, frozen=True))
    assert not any(p.requires_grad for p in encoder.parameters())
    contexts = torch.randn(1, 4, 32, requires_grad=True)
    encoder(tokenize_prompts(['text'], 14), contexts, torch.randn(2, 32)).sum().backward()
    assert contexts.grad.abs().sum() > 0


def test_prompt_budget_is_enforced():
    assert tokenize_prompts(['the pixels of many arbitrary-shape text instances.'], 14)[0,
                                                                                        -1] == 49407
    with pytest.raises(ValueError, match='needs 14 tokens, more than prompt_length=10'):
        tokenize_prompts(['the pixels of many arbitrary-shape text instances.'], 10)
    encoder = MODELS.build(dict(TINY_CONTEXT_ENCODER, context_length=18))
    with pytest.raises(ValueError, match='context_length 18'):
        encoder(tokenize_prompts(['text'], 14), torch.randn(1, 3, 32))
