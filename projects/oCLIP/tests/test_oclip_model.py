"""The oCLIP pre-trainer on a tiny CLIP: its steps, losses, first stage and the released sizes."""
import random

import pytest
import torch
import torch.nn.functional as F
from mmengine.structures import BaseDataElement
from mmocr.registry import MODELS
from oclip.models import losses as oclip_losses

TINY = dict(
    type='OCLIP',
    image_encoder=dict(
        type='CLIPResNetWithAttention',
        preset='RN50',
        layers=(1, 1, 1, 1),
        width=8,
        heads=4,
        output_dim=32,
        input_resolution=64),
    text_encoder=dict(type='CLIPTextEncoder', preset='RN50', width=16, heads=2, layers=2),
    decoder=dict(type='VisualTextualDecoder', layers=2, heads=2))


def tiny(**overrides):
    torch.manual_seed(0)
    return MODELS.build(dict(TINY, **overrides))


def samples(model, *captions):
    random.seed(0)
    out = []
    for words in captions:
        ids, slots = model.tokenizer.encode(words)
        out.append(BaseDataElement(text_ids=ids, mask_slots=slots))
    return out


def test_each_step_has_the_originals_shapes():
    model = tiny().eval()
    batch = samples(model, ['Hello', 'World'], ['x'])
    with torch.no_grad():
        tokens = model.encode_image(torch.randn(2, 3, 64, 64))
        ids, _ = model.tokenizer.apply_mask(
            torch.stack([s.text_ids for s in batch]), torch.stack([s.mask_slots for s in batch]))
        words = model.encode_text(ids)
        logits = model.decode_chars(words, tokens)
    assert tokens.shape == (2, 1 + 2 * 2, 32)  # the mean token, then the 2x2 grid
    assert words.shape == (2, 32, 32) and logits.shape == (2, 32, 97)
    assert torch.equal(words[0, 2], words[1, 5])  # every empty slot embeds alike


def test_losses_are_infonce_and_the_masked_characters_of_real_words():
    model = tiny().eval()
    x = torch.randn(3, 3, 64, 64)
    batch = samples(model, ['Hello', 'World'], ['x'], ['A', 'B', 'C'])
    with torch.no_grad():
        losses = model.loss(x, batch)
        image, text, logits, masked = model(x, batch)
    scale = model.logit_scale.detach().exp()
    logits_per_image = scale * image @ text.t()
    target = torch.arange(3)
    expected = (F.cross_entropy(logits_per_image, target) +
                F.cross_entropy(logits_per_image.t(), target)) / 2
    assert losses['loss_clip'] == pytest.approx(float(expected), rel=1e-6)
    picked = masked != 0
    assert int(picked.sum()) == 6  # one per real word
    assert losses['loss_char'] == pytest.approx(
        float(F.cross_entropy(logits[picked], masked[picked])), rel=1e-6)


def test_every_part_learns_from_the_losses():
    model = tiny()
    batch = samples(model, ['Hello', 'World'], ['x'])
    sum(model.loss(torch.randn(2, 3, 64, 64), batch).values()).backward()
    for name in ('image_encoder.attnpool.c_proj.weight', 'image_encoder.conv1.weight',
                 'text_encoder.token_embedding.weight', 'decoder.image_pos',
                 'decoder.text_class.weight', 'logit_scale'):
        assert model.get_parameter(name).grad.abs().sum() > 0, name


def test_features_are_gathered_with_this_ranks_rows_first(monkeypatch):
    local, other = torch.randn(2, 4, requires_grad=True), torch.randn(3, 4)
    monkeypatch.setattr(oclip_losses.dist, 'get_world_size', lambda: 2)
    monkeypatch.setattr(oclip_losses.dist, 'get_rank', lambda: 1)
    monkeypatch.setattr(oclip_losses.dist, 'all_gather', lambda t: [other, t.clone()])
    gathered = oclip_losses.gather_local_first(local)
    assert torch.equal(gathered, torch.cat([local, other]).detach())
    gathered.sum().backward()
    assert torch.equal(local.grad, torch.ones(2, 4))  # gradients only through the local rows


def test_first_stage_has_no_decoder_and_trains_contrastively_on_plain_words():
    model = tiny(first_stage=True).eval()
    assert not hasattr(model, 'decoder')
    batch = samples(model, ['Hello'], ['x'])
    x = torch.randn(2, 3, 64, 64)
    assert set(model.loss(x, batch)) == {'loss_clip'}
    with torch.no_grad():
        _, text, _, _ = model(x, batch)
        plain = model.encode_text(torch.stack([s.text_ids for s in batch])).mean(1)
    assert torch.allclose(text, torch.nn.functional.normalize(plain, dim=-1))


def test_predict_names_each_words_masked_character():
    model = tiny().eval()
    batch = samples(model, ['Hello', 'World'])
    with torch.no_grad():
        out, = model.predict(torch.randn(1, 3, 64, 64), batch)
    assert out.image_feature.norm() == pytest.approx(1) and out.text_feature.shape == (32, )
    assert len(out.pred_text) == 32 and out.pred_text[2:] == [''] * 30
    assert out.gt_chars[:2].all() and not out.gt_chars[2:].any()
    assert all(isinstance(c, str) and len(c) <= 1 for c in out.pred_text[:2])


@pytest.mark.parametrize('preset, first_stage, keys, params', [
    ('RN50', False, 494, 48_545_090),
    ('RN50', True, 417, 37_761_889),
    ('RN101', False, 800, 67_537_218),
])
def test_released_sizes(preset, first_stage, keys, params):
    model = MODELS.build(
        dict(
            type='OCLIP',
            image_encoder=dict(
                type='CLIPResNetWithAttention', preset=preset, output_dim=384,
                input_resolution=512),
            first_stage=first_stage))
    # the original's counts (its oCLIP built from its model_configs)
    assert len(model.state_dict()) == keys
    assert sum(p.numel() for p in model.parameters()) == params
