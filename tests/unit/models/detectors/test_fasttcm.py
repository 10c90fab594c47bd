"""FastTCM: meta query, bimodal similarity matching, and the cached text branch."""
import pytest
import torch
import torch.nn.functional as F
from mmocr.registry import MODELS

from tcm.models import FastTCMDetector

from builders import make_sample, tiny_model_cfg, tiny_tcm_cfg

FASTTCM = 'fasttcm-dbnet_clip-r50_fpnc_1200e_icdar2015.py'


def fasttcm():
    torch.manual_seed(0)
    return MODELS.build(tiny_model_cfg(FASTTCM))


def count_calls(module):
    calls = []
    module.register_forward_hook(lambda *args: calls.append(1))
    return calls


def test_bimodal_similarity_matching():
    bsm = MODELS.build(dict(type='BimodalSimilarityMatching', visual_dim=6, text_dim=4))
    torch.nn.init.normal_(bsm.pix_w)
    image, text = torch.randn(2, 6), torch.randn(2, 3, 4)
    out = bsm(image, text)
    g = F.normalize(image @ bsm.pix_w, dim=-1)[:, None]
    t = F.normalize(text, dim=-1)
    torch.testing.assert_close(out, (t * g).sum(-1, keepdim=True) * g + t)
    assert torch.all(bsm.__class__(6, 4).pix_w == 1)  # the released all-ones initialisation


def test_training_reaches_meta_query_and_projection():
    model = fasttcm()
    inputs = torch.randn(2, 3, 64, 64)
    losses = model.loss(inputs, [make_sample(), make_sample()])
    sum(losses.values()).backward()
    assert model.meta_query.grad.abs().sum() > 0
    assert model.bimodal_similarity.pix_w.grad.abs().sum() > 0
    assert model.prompt_generator.prompt_proj[1].weight.grad.abs().sum() > 0


def test_text_branch_runs_once_per_batch_when_training():
    model = fasttcm()
    calls = count_calls(model.text_encoder)
    model.loss(torch.randn(3, 3, 64, 64), [make_sample() for _ in range(3)])
    assert len(calls) == 1 and model.text_cache._value is None


def test_cached_and_uncached_eval_give_identical_outputs():
    model = fasttcm().eval()
    calls = count_calls(model.text_encoder)
    x = torch.randn(2, 3, 96, 64)
    with torch.no_grad():
        first = model(x, mode='tensor')
        second = model(x, mode='tensor')
        score = model.predict_score_map(x)
    assert len(calls) == 1  # the cached forwards did not run the text encoder
    uncached = model(x, mode='tensor')  # gradients enabled: no cache
    assert len(calls) == 2
    torch.testing.assert_close(second, first, rtol=0, atol=0)
    torch.testing.assert_close(uncached, first, rtol=0, atol=0)
    assert score.shape == (2, 1, 3, 2)


def test_cache_follows_weight_changes_and_training():
    model = fasttcm().eval()
    calls = count_calls(model.text_encoder)
    x = torch.randn(1, 3, 64, 64)
    with torch.no_grad():
        before = model.predict_score_map(x)
        with torch.no_grad():
            model.contexts.add_(0.5)  # an in-place update, as optimizers make
        changed = model.predict_score_map(x)
        model.load_state_dict(fasttcm().state_dict())  # new weights
        model.predict_score_map(x)
    assert len(calls) == 3 and not torch.equal(before, changed)
    model.train()
    assert model.text_cache._value is None
    model.eval()
    with torch.no_grad():
        model.predict_score_map(x)
    assert len(calls) == 4


def test_tcm_without_meta_query_runs_the_text_encoder_per_image():
    model = MODELS.build(tiny_tcm_cfg()).eval()
    calls = count_calls(model.text_encoder)
    with torch.no_grad():
        model(torch.randn(2, 3, 64, 64), mode='tensor')
        model(torch.randn(2, 3, 64, 64), mode='tensor')
    assert len(calls) == 2 and not hasattr(model, 'meta_query')


def test_configs_written_before_the_fasttcm_class_load_the_same_checkpoints():
    """``type='TCMDetector', meta_query=True`` (the old FastTCM configs) builds FastTCMDetector."""
    old = dict(
        tiny_tcm_cfg(),
        meta_query=True,
        bimodal_similarity=dict(type='BimodalSimilarityMatching', visual_dim=32, text_dim=32))
    with pytest.warns(UserWarning, match="write type='FastTCMDetector'"):
        model = MODELS.build(old)
    assert isinstance(model, FastTCMDetector)
    state = fasttcm().state_dict()
    assert model.load_state_dict(state, strict=True)  # every key and shape the same
    assert model.bimodal_similarity.pix_w.shape == (32, 32)
    with pytest.warns(UserWarning):  # meta_query alone meant no bimodal similarity, as before
        plain = MODELS.build(dict(tiny_tcm_cfg(), meta_query=True))
    assert plain.bimodal_similarity is None and 'bimodal_similarity.pix_w' not in plain.state_dict()
    assert MODELS.build(tiny_tcm_cfg(meta_query=False)).__class__.__name__ == 'TCMDetector'


def test_cached_text_follows_the_autocast_state():
    """An embedding computed under bfloat16 autocast is not reused in float32, nor the reverse."""
    model = fasttcm().eval()
    calls = count_calls(model.text_encoder)
    x = torch.randn(1, 3, 64, 64)
    with torch.no_grad():
        with torch.autocast('cpu', dtype=torch.bfloat16):
            model.predict_score_map(x)
            model.predict_score_map(x)
        score = model.predict_score_map(x)
    assert len(calls) == 2 and score.dtype == torch.float32


def test_coupled_sizes_are_derived_and_a_wrong_one_is_refused():
    with pytest.raises(
            ValueError,
            match=r'bimodal_similarity.text_dim=512 does not fit the CLIP '
            r'towers, which give 32'):
        MODELS.build(
            tiny_model_cfg(
                FASTTCM, bimodal_similarity=dict(type='BimodalSimilarityMatching', text_dim=512)))
