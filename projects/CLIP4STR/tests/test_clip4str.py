"""CLIP4STR on a tiny CLIP: permutations and masks, training, predict-then-refine decoding."""
import numpy as np
import pytest
import torch
from clip4str import CHARSET_94, CharsetAdapter
from clip4str.models import generate_permutations, permutation_masks
from mmengine.structures import LabelData
from mmocr.registry import MODELS
from mmocr.structures import TextRecogDataSample

DICTIONARY = dict(
    type='Dictionary',
    dict_file=CHARSET_94,
    with_start=True,
    with_end=True,
    same_start_end=False,
    with_padding=True)
TINY = dict(
    type='CLIP4STR',
    dictionary=DICTIONARY,
    image_encoder=dict(
        type='CLIPVisionTransformer',
        preset='ViT-B-16',
        image_size=32,
        patch_size=16,
        width=64,
        layers=1,
        output_dim=32),
    text_encoder=dict(
        type='CLIPTextEncoder', context_length=16, width=32, heads=2, layers=2, frozen=1),
    decoder=dict(type='PARSeqDecoder', heads=2, layers=1, mlp_ratio=4, dropout=0.1))


def tiny(**overrides):
    torch.manual_seed(0)
    return MODELS.build(dict(TINY, **overrides))


def samples(*texts):
    out = []
    for text in texts:
        sample = TextRecogDataSample(metainfo=dict(valid_ratio=1.0, img_shape=(32, 64)))
        sample.gt_text = LabelData(item=text)
        out.append(sample)
    return out


@pytest.mark.parametrize('chars', [1, 2, 3, 4, 5, 9])
def test_permutations_are_shared_mirrored_and_keep_bos_and_eos(chars):
    perms = generate_permutations(chars, 6, rng=np.random.default_rng(0))
    assert perms.shape[1] == chars + 2 and len(perms) == (1 if chars == 1 else min(
        6, 2 * max(1, [1, 1, 3, 12][chars - 1] if chars < 5 else 3)))
    assert torch.all(perms[:, 0] == 0)
    assert torch.equal(perms[0], torch.arange(chars + 2))  # the canonical order first
    if chars > 1:
        # the second: characters right to left, and EOS with the null context
        assert perms[1].tolist() == [0] + list(range(chars + 1, 0, -1))
        for fwd, flipped in zip(perms[2::2], perms[3::2]):  # the others beside their flips
            assert torch.equal(flipped[1:-1], fwd[1:-1].flip(0)) and flipped[-1] == chars + 1
    assert all(sorted(p.tolist()) == list(range(chars + 2)) for p in perms)


def test_masks_follow_the_ordering():
    perm = torch.tensor([0, 2, 1, 3])  # BOS, c2, c1, EOS
    content, query = permutation_masks(perm)
    visible = lambda mask: (mask == 0).int().tolist()  # noqa: E731
    # content rows: BOS, c1, c2 (EOS dropped); c2 comes before c1 in the ordering
    assert visible(content) == [[1, 0, 0], [1, 1, 1], [1, 0, 1]]
    # query rows predict c1, c2, EOS from BOS, c1, c2; no position sees itself
    assert visible(query) == [[1, 0, 1], [1, 0, 0], [1, 1, 1]]


def test_adapter_is_the_evaluation_charset():
    adapt = CharsetAdapter()
    assert adapt('Hello, World-42!') == 'helloworld42'
    assert CharsetAdapter('ABC')('abcd') == 'ABC'


def test_loss_trains_both_branches_and_only_the_upper_text_layers():
    model = tiny()
    losses = model.loss(torch.randn(2, 3, 32, 64), samples('Hello', 'a1'))
    assert set(losses) == {'loss_visual', 'loss_cross'}
    assert all(torch.isfinite(v) for v in losses.values())
    sum(losses.values()).backward()
    grads = {n: p.grad for n, p in model.named_parameters()}
    for name in ('visual_decoder.head.weight', 'cross_decoder.head.weight',
                 'cross_decoder.layers.0.cross_attn.in_proj_weight',
                 'text_encoder.transformer.resblocks.1.attn.in_proj_weight',
                 'text_encoder.text_projection', 'image_encoder.conv1.weight'):
        assert grads[name] is not None and grads[name].abs().sum() > 0, name
    for name in ('text_encoder.token_embedding.weight', 'text_encoder.positional_embedding',
                 'text_encoder.transformer.resblocks.0.attn.in_proj_weight'):
        assert grads[name] is None, name


def test_the_cross_loss_does_not_reach_the_image_tower_or_the_visual_decoder():
    model = tiny(cross_loss_weight=1.0)
    model.loss(torch.randn(2, 3, 32, 64), samples('ab', 'cd'))['loss_cross'].backward()
    assert model.image_encoder.conv1.weight.grad is None
    assert model.visual_decoder.head.weight.grad is None
    assert model.cross_decoder.head.weight.grad.abs().sum() > 0


def test_decoding_stops_when_every_sequence_has_ended_and_refines_both_branches():
    model = tiny().eval()
    with torch.no_grad():
        model.visual_decoder.head.bias[-1] = 50.0  # EOS at once for every image
        model.cross_decoder.head.bias[-1] = 50.0
    calls = []
    model.visual_decoder.register_forward_hook(lambda *a: calls.append('v'))
    model.cross_decoder.register_forward_hook(lambda *a: calls.append('c'))
    with torch.no_grad():
        visual, cross = model.decode(model.extract_feat(torch.randn(3, 3, 32, 64)))
    # one visual step (every sequence ended), one cross step, one refinement pass of each
    assert calls == ['v', 'c', 'v', 'c']
    assert visual.shape == cross.shape == (3, 26, 95)
    texts = model.texts(cross)
    assert all(text == '' for text, _ in texts)
    probs = cross.softmax(-1)[:, 0, -1]
    assert [score for _, score in texts] == pytest.approx(probs.tolist())


def test_the_visual_branch_alone_trains_and_reads_like_the_full_models_visual_half():
    full, visual_only = tiny().eval(), tiny(cross_branch=False).eval()
    assert not hasattr(visual_only, 'text_encoder') and not hasattr(visual_only, 'cross_decoder')
    missing, unexpected = visual_only.load_state_dict(full.state_dict(), strict=False)
    assert not missing and {k.split('.')[0]
                            for k in unexpected} == {'text_encoder', 'cross_decoder'}
    x = torch.randn(2, 3, 32, 64)
    with torch.no_grad():
        assert torch.equal(visual_only(x, mode='tensor'), full.decode(full.extract_feat(x))[0])
    losses = visual_only.train().loss(x, samples('ab', 'cde'))
    assert set(losses) == {'loss_visual'} and torch.isfinite(losses['loss_visual'])


def test_predict_gives_text_and_the_product_of_step_probabilities():
    model = tiny().eval()
    x = torch.randn(2, 3, 32, 64)
    with torch.no_grad():
        logits = model(x, mode='tensor')
        results = model.predict(x, samples('', ''))
    probs, classes = logits.softmax(-1).max(-1)
    for sample, p, c in zip(results, probs, classes.tolist()):
        end = c.index(94) if 94 in c else len(c)
        assert sample.pred_text.item == ''.join(model.chars[k] for k in c[:end])
        assert sample.pred_text.score == pytest.approx(float(p[:end + 1].prod()), rel=1e-6)
    assert logits.shape == (2, 26, 95)


def test_captions_are_cut_at_eos_and_adapted_to_the_caption_charset():
    model = tiny()
    hello = [model.chars.index(c) for c in 'He-l'] + [94] + [model.chars.index('x')]
    logits = torch.nn.functional.one_hot(torch.tensor([hello]), 95).float()
    assert model.captions(logits) == ['hel']


def test_a_dictionary_without_distinct_bos_and_eos_is_one_line():
    with pytest.raises(ValueError, match='same_start_end=False'):
        MODELS.build(dict(TINY, dictionary=dict(DICTIONARY, same_start_end=True)))
