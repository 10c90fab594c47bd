"""TCM on every MMOCR detector family: a training step and a prediction on CPU with a tiny CLIP."""
import copy
import pickle

import pytest
import torch
from mmocr.registry import MODELS
from mmocr.structures import TextDetDataSample

from tcm.models.heads import float32_head

from conftest import TINY_VISUAL, make_sample, tiny_tcm_cfg

LEVELS = [32, 64, 128, 256]  # tiny CLIP's C2..C5


def dbnetpp():
    cfg = tiny_tcm_cfg()
    cfg['neck']['asf_cfg'] = dict(attention_type='ScaleChannelSpatial')
    return cfg


def fcenet():
    return tiny_tcm_cfg(
        backbone=dict(TINY_VISUAL, out_indices=(1, 2, 3)),
        score_concat_index=2,
        aux_loss=dict(type='TCMAuxLoss', shrink_ratio=1.0, min_sidelength=0, upsample=False),
        neck=dict(
            type='mmdet.FPN',
            in_channels=[64, 128, 257],
            out_channels=16,
            add_extra_convs='on_output',
            num_outs=3,
            relu_before_extra_convs=True,
            act_cfg=None),
        det_head=dict(
            type='FCEHead',
            in_channels=16,
            fourier_degree=5,
            module_loss=dict(type='FCEModuleLoss', num_sample=50),
            postprocessor=dict(
                type='FCEPostprocessor',
                scales=(8, 16, 32),
                text_repr_type='quad',
                num_reconstr_points=50,
                alpha=1.2,
                beta=1.0,
                score_thr=0.3)))


def panet():
    return tiny_tcm_cfg(
        aux_loss=dict(
            type='TCMAuxLoss',
            shrink_ratio=1.0,
            min_sidelength=0,
            loss=dict(type='OHEMDiceWithLogitsLoss')),
        neck=dict(type='FPEM_FFM', in_channels=[32, 64, 128, 257], conv_out=16),
        det_head=dict(
            type='LegacyPANHead',
            in_channels=[16] * 4,
            out_channel=6,
            module_loss=dict(type='PANModuleLoss'),
            postprocessor=dict(type='PANPostprocessor', text_repr_type='quad')))


def psenet():
    return tiny_tcm_cfg(
        # FPNF's concat fusion is built for 4 x 256 channels
        neck=dict(
            type='FPNF', in_channels=[32, 64, 128, 257], out_channels=256, fusion_type='concat'),
        det_head=dict(
            type='PSEHead',
            in_channels=[256],
            hidden_dim=16,
            out_channel=7,
            module_loss=dict(type='PSEModuleLoss'),
            postprocessor=dict(type='PSEPostprocessor', text_repr_type='poly')))


FAMILIES = dict(dbnetpp=dbnetpp, fcenet=fcenet, panet=panet, psenet=psenet)


def samples(n=2, size=128):
    polygons = [[10, 10, 90, 10, 90, 40, 10, 40], [20, 70, 110, 62, 112, 92, 22, 100]]
    return [make_sample((size, size), polygons) for _ in range(n)]


@pytest.mark.parametrize('family', FAMILIES)
def test_train_step_and_predict(family):
    torch.manual_seed(0)
    model = MODELS.build(FAMILIES[family]())
    inputs = torch.randn(2, 3, 128, 128)
    losses = model.loss(inputs, samples())
    assert 'loss_aux' in losses and len(losses) >= 3
    total = sum(v for k, v in losses.items() if 'loss' in k)
    assert torch.isfinite(total)
    total.backward()
    for name in ('contexts', 'prompt_generator.prompt_proj.1.weight',
                 'backbone.layer4.0.downsample.0.weight'):
        assert dict(model.named_parameters())[name].grad.abs().sum() > 0, name
    model.eval()
    with torch.no_grad():
        results = model.predict(inputs, samples())
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


@pytest.mark.parametrize('family', FAMILIES)
def test_mixed_precision_train_step(family, refuse_bce_under_autocast):
    """``--amp``: the network runs in 16 bits, the losses in float32 outside autocast, also in
    a deep or pickled copy of the model (the float32 loss follows its own module)."""
    torch.manual_seed(0)
    model = MODELS.build(FAMILIES[family]())
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
    tcm_cfg = fcenet()
    baseline = MODELS.build(
        dict(
            type='FCENet',
            backbone=dict(TINY_VISUAL, out_indices=(1, 2, 3), return_embeddings=False),
            neck=dict(tcm_cfg['neck'], in_channels=[64, 128, 256]),
            det_head=tcm_cfg['det_head'],
            data_preprocessor=tcm_cfg['data_preprocessor']))
    inputs = torch.randn(2, 3, 128, 128)
    with torch.autocast('cpu', dtype=torch.bfloat16):
        with pytest.raises(RuntimeError, match='unsafe to autocast'):  # MMOCR alone
            baseline.loss(inputs, samples())
        losses = float32_head(baseline).loss(inputs, samples())
    assert torch.isfinite(sum(v for k, v in losses.items() if 'loss' in k))


def test_fcenet_aux_targets_are_full_regions_at_score_resolution():
    model = MODELS.build(fcenet())
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
