"""TCMDetector with MMOCR's DBNet head: loss, predict, tensor mode, score map, bad configs."""
import copy

import pytest
import torch
from mmocr.registry import MODELS
from mmocr.structures import TextDetDataSample

from builders import make_sample, tiny_tcm_cfg


@pytest.fixture
def model():
    torch.manual_seed(0)
    return MODELS.build(tiny_tcm_cfg())


def batch(n=2, size=64):
    return torch.randn(n, 3, size, size), [make_sample((size, size)) for _ in range(n)]


def test_loss_has_head_and_aux_terms_and_trains_tcm(model):
    inputs, samples = batch()
    losses = model.loss(inputs, samples)
    assert set(losses) == {'loss_prob', 'loss_thr', 'loss_db', 'loss_aux'}
    sum(losses.values()).backward()
    for name in [
            'contexts', 'gamma', 'vis_gamma', 'prompt_generator.prompt_proj.1.weight',
            'visual_prompt_generator.out_proj.1.weight', 'context_decoder.out_proj.1.weight',
            'backbone.attnpool.c_proj.weight', 'neck.lateral_convs.3.conv.weight'
    ]:
        grad = dict(model.named_parameters())[name].grad
        assert grad is not None and grad.abs().sum() > 0, name
    assert all(p.grad is None for p in model.text_encoder.parameters())


def test_aux_targets_use_the_samples_before_the_head_loss_changes_them(model):
    """DBModuleLoss shifts polygons in place; the aux loss must see the originals."""
    inputs, samples = batch(1)
    pristine = copy.deepcopy(samples)
    model.eval()  # no dropout: both passes compute the same score map
    with torch.no_grad():
        losses = model.loss(inputs, samples)
        score_map = model.predict_score_map(inputs)
    expected = model.aux_loss(score_map, pristine)['loss_aux']
    torch.testing.assert_close(losses['loss_aux'], expected)


def test_predict_returns_data_samples_with_polygons_and_score_map(model):
    model.eval()
    inputs, samples = batch()
    results = model.predict(inputs, samples)
    assert len(results) == 2 and isinstance(results[0], TextDetDataSample)
    assert isinstance(results[0].pred_instances.polygons, list)
    assert results[0].pred_instances.scores.ndim == 1
    assert results[0].score_map.shape == (1, 2, 2)


def test_tensor_mode_returns_the_db_probability_map(model):
    model.eval()
    inputs, _ = batch(1, 96)
    prob = model(inputs, mode='tensor')
    assert prob.shape == (1, 96, 96) and 0 <= prob.min() and prob.max() <= 1


def test_score_map_is_public_and_in_range(model):
    model.eval()
    inputs, _ = batch(2, 128)
    score = model.predict_score_map(inputs)
    assert score.shape == (2, 1, 4, 4) and score.abs().max() <= 1 + 1e-5


def test_full_pipeline_through_data_preprocessor(model):
    """forward() with MMEngine's data dict: uint8 images of a size not divisible by 32."""
    model.eval()
    data = dict(
        inputs=[torch.randint(0, 255, (3, 70, 90), dtype=torch.uint8)],
        data_samples=[make_sample((70, 90))])
    results = model.test_step(data)
    assert results[0].score_map.shape == (1, 3, 3)


def test_optional_blocks_can_be_switched_off():
    model = MODELS.build(
        tiny_tcm_cfg(
            prompt_generator=None,
            visual_prompt_generator=None,
            context_decoder=None,
            aux_loss=None))
    losses = model.loss(*batch())
    assert 'loss_aux' not in losses and 'loss_prob' in losses


def test_neck_input_counts_the_score_map():
    """The neck config lists the backbone's levels; TCM adds its score channel at the index."""
    model = MODELS.build(tiny_tcm_cfg())
    assert model.score_concat_index == 3
    assert model.neck.lateral_convs[3].conv.in_channels == 256 + 1
    counted = tiny_tcm_cfg()
    counted['neck']['in_channels'] = [32, 64, 128, 257]  # configs written before: accepted
    assert MODELS.build(counted).neck.lateral_convs[3].conv.in_channels == 257


def test_neck_of_other_channels_is_one_clear_error():
    cfg = tiny_tcm_cfg()
    cfg['neck']['in_channels'] = [32, 64, 128, 512]
    with pytest.raises(
            ValueError,
            match=r'neck.in_channels=\[32, 64, 128, 512\] fits neither the backbone '
            r'levels \[32, 64, 128, 256\] nor them plus 1 score-map channel\(s\) at index 3'):
        MODELS.build(cfg)
    with pytest.raises(ValueError, match='score_concat_index=4 is outside the 4 backbone levels'):
        MODELS.build(tiny_tcm_cfg(score_concat_index=4))


def test_sizes_coupled_to_the_towers_are_derived():
    model = MODELS.build(tiny_tcm_cfg())
    assert model.prompt_generator.prompt_proj[1].in_features == 32  # the joint width
    assert model.prompt_generator.prompt_proj[-1].out_features == 32  # the token width
    assert model.visual_prompt_generator.memory_proj[1].in_features == 32
    assert model.context_decoder.out_proj[1].out_features == 32
    assert model.text_encoder.embed_dim == 32 and model.text_encoder.context_length == 18
    with pytest.raises(
            ValueError,
            match=r'context_decoder.visual_dim=1024 does not fit the CLIP '
            r'towers, which give 32; leave it out'):
        MODELS.build(tiny_tcm_cfg(context_decoder=dict(type='ContextDecoder', visual_dim=1024)))


def test_score_map_at_a_level_of_another_size():
    model = MODELS.build(tiny_tcm_cfg(score_concat_index=2))
    assert model.neck.lateral_convs[2].conv.in_channels == 128 + 1
    with pytest.raises(ValueError, match='concatenate it to the 1/32 level'):
        model.loss(*batch())


def test_input_not_divisible_by_32_without_padding(model):
    with pytest.raises(ValueError, match='not divisible by 32'):
        model(torch.randn(1, 3, 80, 64), mode='tensor')


def test_prompts_and_gates_have_the_original_shapes(model):
    assert model.contexts.shape == (1, 4, 32)
    assert model.gamma.shape == (32, ) and torch.all(model.gamma == 1e-3)
    assert model.vis_gamma.shape == () and model.vis_gamma == 1e-3
    assert model.text_encoder.positional_embedding.shape == (18, 32)
    assert 'texts' not in model.state_dict()
