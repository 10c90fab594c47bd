"""The auxiliary loss: targets from data samples, per-image balancing, the legacy batch mixing."""
import copy

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from mmocr.registry import MODELS

from tcm.models.tcm import legacy_balanced_bce

from builders import make_sample


def build(**kwargs):
    return MODELS.build(dict(type='TCMAuxLoss', **kwargs))


def test_targets_are_shrunk_kernels_with_ignored_regions_masked():
    loss = build()
    sample = make_sample(
        polygons=[[8, 8, 56, 8, 56, 24, 8, 24], [8, 40, 56, 40, 56, 56, 8, 56],
                  [20, 30, 22, 30, 22, 32, 20, 32]],
        ignored=[False, True, False])
    gt, mask = loss.get_targets([sample], (64, 64))
    assert gt.shape == mask.shape == (1, 64, 64)
    assert gt[0, 16, 30] == 1 and gt[0, 9, 9] == 0  # shrunk: the border is not text
    assert gt[0, 48, 30] == 0 and mask[0, 48, 30] == 0  # ignored polygon: masked out
    assert mask[0, 31, 21] == 0  # too thin (< 8 px): masked out
    assert mask[0, 2, 2] == 1


def test_targets_are_padded_to_the_batch_input():
    sample = make_sample(size=(40, 64))
    gt, mask = build().get_targets([sample], (64, 64))
    assert gt.shape == (1, 64, 64) and mask[0, 50:].sum() == 0


def test_shrink_ratio_one_gives_full_regions():
    sample = make_sample(polygons=[[8, 8, 56, 8, 56, 24, 8, 24]])
    full, _ = build(shrink_ratio=1.0).get_targets([sample], (64, 64))
    shrunk, _ = build(shrink_ratio=0.4).get_targets([sample], (64, 64))
    assert full[0, 9, 9] == 1 and full.sum() > shrunk.sum()


def test_data_samples_are_not_modified():
    sample = make_sample(polygons=[[8, 8, 56, 8, 56, 24, 8, 24], [1, 1, 3, 1, 3, 3, 1, 3]])
    before = copy.deepcopy(sample)
    build()(torch.randn(1, 1, 2, 2), [sample])
    assert torch.equal(sample.gt_instances.ignored, before.gt_instances.ignored)
    for a, b in zip(sample.gt_instances.polygons, before.gt_instances.polygons):
        np.testing.assert_array_equal(a, b)


def test_loss_value_is_balanced_bce_of_upsampled_logits():
    loss = build(tau=0.5, loss_weight=2.0)
    sample = make_sample()
    score = torch.rand(1, 1, 2, 2) * 2 - 1
    gt, mask = loss.get_targets([sample], (64, 64))
    logits = F.interpolate(score / 0.5, size=(64, 64), mode='bilinear', align_corners=False)
    expected = MODELS.build(dict(type='MaskedBalancedBCEWithLogitsLoss'))(logits[:, 0], gt, mask)
    torch.testing.assert_close(loss(score, [sample])['loss_aux'], 2 * expected)


def test_per_image_balancing_does_not_depend_on_the_batch():
    loss = build()
    sample = make_sample()
    score = torch.randn(1, 1, 2, 2)
    single = loss(score, [sample])['loss_aux']
    batch = loss(score.repeat(3, 1, 1, 1), [sample] * 3)['loss_aux']
    torch.testing.assert_close(single, batch)


def test_legacy_mixing_equals_per_image_for_one_image():
    sample = make_sample()
    score = torch.randn(1, 1, 2, 2)
    torch.testing.assert_close(
        build(legacy_batch_mixing=True)(score, [sample])['loss_aux'],
        build()(score, [sample])['loss_aux'])


def test_legacy_mixing_weights_every_image_by_every_mask():
    """All-positive images: the legacy loss is N times the correct one (the N x N broadcast)."""
    logits = torch.randn(4, 1, 8, 8)
    gt, mask = torch.ones(4, 8, 8), torch.ones(4, 8, 8)
    correct = MODELS.build(dict(type='MaskedBalancedBCEWithLogitsLoss'))(logits[:, 0], gt, mask)
    torch.testing.assert_close(
        legacy_balanced_bce(logits, gt, mask, 3.0), 4 * correct, rtol=1e-5, atol=1e-6)


def test_legacy_mixing_matches_explicit_pairwise_sum():
    torch.manual_seed(0)
    logits = torch.randn(2, 1, 6, 6)
    gt = (torch.rand(2, 6, 6) > 0.7).float()
    mask = (torch.rand(2, 6, 6) > 0.1).float()
    bce = F.binary_cross_entropy_with_logits(logits[:, 0], gt, reduction='none')
    pos_count = int((gt * mask).sum())
    neg_count = min(int(((1 - gt) * mask).sum()), 3 * pos_count)
    positive = sum((bce[i] * gt[j] * mask[j]).sum() for i in range(2) for j in range(2))
    negatives = torch.cat([(bce[i] * (1 - gt[j]) * mask[j]).flatten() for i in range(2)
                           for j in range(2)])
    expected = (positive + negatives.topk(neg_count).values.sum()) / (pos_count + neg_count + 1e-6)
    torch.testing.assert_close(legacy_balanced_bce(logits, gt, mask, 3.0), expected)


def test_multi_prompt_score_map_is_rejected():
    with pytest.raises(ValueError, match='one text prompt'):
        build()(torch.randn(1, 2, 2, 2), [make_sample()])
