"""Mixed precision for any MMOCR head: a detector's det_head and a recognizer's decoder alike."""
import copy
import os.path as osp
import pickle
from collections import namedtuple

import torch
from mmengine.config import Config
from mmocr.registry import MODELS
from mmocr.structures import TextRecogDataSample

from tcm.utils.precision import float32_head, run_in_float32, to_float32

from builders import tiny_tcm_cfg

Pair = namedtuple('Pair', 'a b')


def test_half_tensors_become_float32_wherever_they_are_nested():
    half, double = torch.ones(2, dtype=torch.bfloat16), torch.ones(2, dtype=torch.float64)
    out = to_float32(dict(x=[half, (half, Pair(half, 3))], y=double))
    assert out['x'][0].dtype == out['x'][1][0].dtype == out['x'][1][1].a.dtype == torch.float32
    assert isinstance(out['x'][1][1], Pair) and out['x'][1][1].b == 3
    assert out['y'] is double


def test_run_in_float32_turns_autocast_off():
    with torch.autocast('cpu', dtype=torch.bfloat16):
        assert torch.is_autocast_enabled('cpu')
        assert not run_in_float32(lambda x: torch.is_autocast_enabled('cpu'), torch.ones(1))
        product = run_in_float32(torch.mm, torch.ones(2, 2, dtype=torch.bfloat16), torch.ones(2, 2))
    assert product.dtype == torch.float32


def crnn():
    """MMOCR's CRNN, from the config MMOCR ships."""
    import mmocr
    configs = osp.join(osp.dirname(mmocr.__file__), '.mim', 'configs')
    cfg = Config.fromfile(osp.join(configs, 'textrecog/crnn/_base_crnn_mini-vgg.py'))
    return MODELS.build(cfg.model)


def test_a_recognizer_decoder_gets_float32_outputs_and_loss():
    model = crnn().eval()
    features = torch.randn(1, 512, 1, 25)
    sample = TextRecogDataSample(metainfo=dict(valid_ratio=1.0, img_shape=(32, 100)))
    with torch.autocast('cpu', dtype=torch.bfloat16):
        assert model.decoder(features.bfloat16(), [sample]).dtype == torch.bfloat16
        float32_head(model)
        assert model.decoder(features.bfloat16(), [sample]).dtype == torch.float32
    assert model.decoder.module_loss.forward.module is model.decoder.module_loss


def test_a_detector_head_and_its_copies_keep_their_own_float32_loss():
    model = float32_head(MODELS.build(tiny_tcm_cfg()))
    float32_head(model)  # idempotent
    assert len(model.det_head._forward_hooks) == 1
    for copied in (copy.deepcopy(model), pickle.loads(pickle.dumps(model))):
        assert copied.det_head.module_loss.forward.module is copied.det_head.module_loss
        assert len(copied.det_head._forward_hooks) == 1
