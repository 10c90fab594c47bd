"""FastTCM: meta query, bimodal similarity matching, and the cached text branch."""
import torch
import torch.nn.functional as F
from mmocr.registry import MODELS

from conftest import make_sample, tiny_tcm_cfg


def fasttcm():
    torch.manual_seed(0)
    return MODELS.build(
        tiny_tcm_cfg(
            meta_query=True,
            bimodal_similarity=dict(type='BimodalSimilarityMatching', visual_dim=32, text_dim=32)))


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
    assert len(calls) == 1 and model._text_cache is None


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
    assert model._text_cache is None
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
    assert len(calls) == 2 and model.meta_query is None
