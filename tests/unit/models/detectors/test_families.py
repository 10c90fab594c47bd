"""TCM on every MMOCR single-stage detector family, as its config builds it: a training step and a prediction
on CPU with a tiny CLIP, also under mixed precision."""
import copy
import pickle

import pytest
import torch
from mmocr.registry import MODELS
from mmocr.structures import TextDetDataSample

from tcm.utils.precision import float32_head

from builders import TINY_VISUAL, tiny_model_cfg, trained_like, two_boxes

#: every TCM family, as its ICDAR2015 config builds it (shrunk to the tiny CLIP)
FAMILIES = dict(
    dbnet='tcm-dbnet_clip-r50_fpnc_1200e_icdar2015.py',
    dbnetpp='tcm-dbnetpp_clip-r50_fpnc_1200e_icdar2015.py',
    fcenet='tcm-fcenet_clip-r50_fpn_1500e_icdar2015.py',
    panet='tcm-panet_clip-r50_fpem-ffm_1200e_icdar2015.py',
    psenet='tcm-psenet_clip-r50_fpnf_600e_icdar2015.py',
    textsnake='tcm-textsnake_clip-r50_fpn-unet_1200e_ctw1500.py',
    drrg='tcm-drrg_clip-r50_fpn-unet_1200e_ctw1500.py',
    fasttcm='fasttcm-dbnet_clip-r50_fpnc_1200e_icdar2015.py')


def family(name, **overrides):
    return tiny_model_cfg(FAMILIES[name], **overrides)


def samples(n=2, size=128):
    return two_boxes(n, size)


@pytest.mark.parametrize('name', FAMILIES)
def test_train_step_and_predict(name):
    torch.manual_seed(0)
    model = MODELS.build(family(name))
    inputs = torch.randn(2, 3, 128, 128)
    losses = model.loss(inputs, samples())
    assert 'loss_aux' in losses and len(losses) >= 3
    total = sum(v for k, v in losses.items() if 'loss' in k)
    assert torch.isfinite(total)
    total.backward()
    for param in ('contexts', 'prompt_generator.prompt_proj.1.weight',
                  'backbone.layer4.0.downsample.0.weight'):
        assert dict(model.named_parameters())[param].grad.abs().sum() > 0, param
    model.eval()
    batch = 1 if name == 'drrg' else 2  # MMOCR's DRRG head predicts one image at a time
    trained_like(model)
    with torch.no_grad():
        results = model.predict(inputs[:batch], samples(batch))
    assert isinstance(results[0], TextDetDataSample)
    assert isinstance(results[0].pred_instances.polygons, list)
    assert results[0].score_map.shape == (1, 4, 4)


@pytest.fixture
def refuse_bce_under_autocast(monkeypatch):
    """CUDA autocast refuses binary_cross_entropy (FCENet's loss); do the same on CPU."""
    bce = torch.nn.functional.binary_cross_entropy

    def refusing(*args, **kwargs):
        if torch.is_autocast_enabled('cpu'):
            raise RuntimeError('binary_cross_entropy is unsafe to autocast')
        return bce(*args, **kwargs)

    monkeypatch.setattr(torch.nn.functional, 'binary_cross_entropy', refusing)


@pytest.mark.parametrize('name', FAMILIES)
def test_mixed_precision_train_step(name, refuse_bce_under_autocast):
    """``--amp``: the network runs in 16 bits, the losses in float32 outside autocast, also in
    a deep or pickled copy of the model (the float32 loss follows its own module), with the
    precision helper tcm's runner installs."""
    torch.manual_seed(0)
    model = float32_head(MODELS.build(family(name)))
    for copied in (copy.deepcopy(model), pickle.loads(pickle.dumps(model))):
        assert copied.det_head.module_loss.forward.module is copied.det_head.module_loss
    with torch.autocast('cpu', dtype=torch.bfloat16):
        losses = model.loss(torch.randn(2, 3, 128, 128), samples())
    losses = {k: v for k, v in losses.items() if 'loss' in k}
    assert all(v.dtype == torch.float32 for v in losses.values())
    total = sum(losses.values())
    assert torch.isfinite(total)
    total.backward()
    assert model.contexts.grad.abs().sum() > 0


def test_mmocr_fcenet_trains_under_autocast_with_float32_head(refuse_bce_under_autocast):
    baseline = MODELS.build(tiny_model_cfg('fcenet_clip-r50_fpn_1500e_icdar2015.py'))
    assert type(baseline).__name__ == 'FCENet'
    inputs = torch.randn(2, 3, 128, 128)
    with torch.autocast('cpu', dtype=torch.bfloat16):
        with pytest.raises(RuntimeError, match='unsafe to autocast'):  # MMOCR alone
            baseline.loss(inputs, samples())
        losses = float32_head(baseline).loss(inputs, samples())
    assert torch.isfinite(sum(v for k, v in losses.items() if 'loss' in k))


def test_fcenet_aux_targets_are_full_regions_at_score_resolution():
    model = MODELS.build(family('fcenet'))
    gt, mask = model.aux_loss.get_targets(samples(1), (4, 4), scale=1 / 32)
    # the first box, 10..90 x 10..40 px, is cells 0..2 of rows 0..1 at 1/32, unshrunk
    assert gt.shape == mask.shape == (1, 4, 4)
    assert gt[0, :2, :3].sum() == 6 and mask.sum() == 16


def test_legacy_pan_head_has_the_0_4_layout():
    head = MODELS.build(dict(type='LegacyPANHead', in_channels=[128] * 4, out_channel=6))
    assert {
        k: tuple(v.shape)
        for k, v in head.state_dict().items()
    } == {
        'out_conv.weight': (6, 512, 1, 1),
        'out_conv.bias': (6, )
    }
    out = head(tuple(torch.randn(1, 128, 8, 8) for _ in range(4)))
    assert out.shape == (1, 6, 8, 8)


def test_ohem_dice_keeps_positives_and_hardest_negatives():
    loss = MODELS.build(dict(type='OHEMDiceWithLogitsLoss', negative_ratio=1))
    gt = torch.tensor([[[1., 0., 0., 0.]]])
    logits = torch.tensor([[[2., 3., -1., 0.]]])
    sampled = loss._ohem(logits[0], gt[0], torch.ones_like(gt[0]))
    assert sampled.tolist() == [[1., 1., 0., 0.]]  # the positive and the one hardest negative
    value = loss(logits, gt, torch.ones_like(gt))
    p = torch.sigmoid(torch.tensor([2., 3.]))
    expected = 1 - 2 * p[0] / (p.pow(2).sum() + 1e-3 + 1 + 1e-3)
    torch.testing.assert_close(value, expected, atol=1e-4, rtol=1e-4)


def test_baseline_backbone_has_no_attention_pool():
    encoder = MODELS.build(dict(TINY_VISUAL, return_embeddings=False))
    outputs = encoder(torch.randn(1, 3, 64, 64))
    assert encoder.attnpool is None and len(outputs) == 4
    assert not any(k.startswith('attnpool') for k in encoder.state_dict())
