"""TCM on MMDetection's two-stage Mask R-CNN inside MMOCR's MMDetWrapper, as its config builds
it with a tiny CLIP: a training step whose auxiliary targets come from the instance masks, and
a prediction as MMOCR's polygons."""
import numpy as np
import pytest
import torch
from mmdet.structures import DetDataSample
from mmdet.structures.mask import BitmapMasks
from mmengine.structures import InstanceData
from mmocr.registry import MODELS
from mmocr.structures import TextDetDataSample

from tcm.models import TCMMaskRCNN
from tcm.models.tcm import TCMMaskAuxLoss

from builders import tiny_model_cfg

CONFIG = 'tcm-mask-rcnn_clip-r50_fpn_160e_icdar2015.py'
SIZE = 128


def instances(boxes):
    """Instances of axis-aligned boxes ``(x1, y1, x2, y2)``, each with its filled mask."""
    masks = np.zeros((len(boxes), SIZE, SIZE), np.uint8)
    for mask, (x1, y1, x2, y2) in zip(masks, boxes):
        mask[y1:y2, x1:x2] = 1
    return InstanceData(
        bboxes=torch.tensor(boxes, dtype=torch.float32).reshape(-1, 4),
        labels=torch.zeros(len(boxes), dtype=torch.long),
        masks=BitmapMasks(masks, SIZE, SIZE))


def det_sample(text_boxes, ignored_boxes=()):
    """A data sample as MMOCR's Mask R-CNN pipeline packs it (MMOCR2MMDet, PackDetInputs)."""
    shape = (SIZE, SIZE)
    sample = DetDataSample(
        metainfo=dict(
            img_shape=shape,
            pad_shape=shape,
            batch_input_shape=shape,
            ori_shape=shape,
            scale_factor=(1.0, 1.0)))
    sample.gt_instances = instances(text_boxes)
    sample.ignored_instances = instances(ignored_boxes)
    return sample


@pytest.fixture(scope='module')
def model():
    torch.manual_seed(0)
    return MODELS.build(tiny_model_cfg(CONFIG))


def test_training_step_reaches_tcm_through_the_two_stage_losses(model):
    model.train()
    samples = [det_sample([(8, 8, 72, 40), (20, 70, 110, 100)]), det_sample([(30, 30, 90, 60)])]
    losses = model(torch.randn(2, 3, SIZE, SIZE), samples, mode='loss')
    assert {'loss_aux', 'loss_rpn_cls', 'loss_cls', 'loss_mask'} <= set(losses)
    total, _ = model.parse_losses(losses)  # the RPN's losses are lists, one per level
    assert torch.isfinite(total)
    total.backward()
    params = dict(model.named_parameters())
    for name in ('contexts', 'prompt_generator.prompt_proj.1.weight',
                 'backbone.layer4.0.downsample.0.weight', 'neck.lateral_convs.3.conv.weight'):
        grad = params[f'wrapped_model.{name}'].grad
        assert grad is not None and grad.abs().sum() > 0, name
    assert isinstance(model.wrapped_model, TCMMaskRCNN)
    assert not hasattr(model.wrapped_model, '_score_map')  # nothing kept after the loss


def test_aux_targets_are_the_masks_at_the_score_maps_resolution():
    loss = TCMMaskAuxLoss()
    sample = det_sample([(0, 0, 64, 64), (64, 96, 80, 128)], ignored_boxes=[(96, 96, 128, 128)])
    text, mask = loss._get_target_single(sample, 1 / 32)
    expected = np.zeros((4, 4), np.float32)
    expected[:2, :2] = 1  # the 64-px square; the 16x32 strip covers half of cell (3, 2)
    expected[3, 2] = 1
    assert (text == expected).all()
    assert mask[3, 3] == 0 and mask.sum() == 15  # the ignored square's cell is masked out


def test_prediction_gives_mmocr_polygons_and_the_score_map(model):
    model.eval()
    shape = (SIZE, SIZE)
    samples = [
        TextDetDataSample(
            metainfo=dict(
                img_shape=shape, ori_shape=shape, scale_factor=(1.0, 1.0), batch_input_shape=shape))
    ]
    inputs = torch.randn(1, 3, SIZE, SIZE)
    with torch.no_grad():
        results = model(inputs, samples, mode='predict')
        score_map = model.wrapped_model.predict_score_map(inputs)
    assert isinstance(results[0], TextDetDataSample)
    assert isinstance(results[0].pred_instances.polygons, list)
    assert score_map.shape == (1, 1, 4, 4) and score_map.abs().max() <= 1


def test_tcm_arguments_default_to_tcm_detectors():
    cfg = tiny_model_cfg(CONFIG)
    for key in ('prompt_generator', 'visual_prompt_generator', 'context_decoder', 'aux_loss',
                'class_names', 'prompt_length', 'num_prompts'):
        cfg.cfg.pop(key)
    detector = MODELS.build(cfg).wrapped_model
    assert isinstance(detector.aux_loss, TCMMaskAuxLoss) and detector.contexts.shape[1] == 4
    assert detector.prompt_generator is not None and detector.visual_prompt_generator is not None
    assert detector.texts.shape == (1, 14)
