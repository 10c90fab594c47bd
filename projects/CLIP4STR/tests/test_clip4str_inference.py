"""CLIP4STR behind MMOCR's inferencers and tcm's end-to-end OCR (a tiny random model: this
checks the plumbing, not reading)."""
import numpy as np
import pytest
import torch
from mmocr.apis import MMOCRInferencer
from mmocr.registry import MODELS
from test_clip4str import TINY
from test_clip4str_training_setup import RECIPES

from tcm.apis import TextRecognizer


@pytest.fixture(scope='module')
def tiny_recognizer(tmp_path_factory):
    folder = tmp_path_factory.mktemp('rec')
    config = folder / 'tiny_rec.py'
    tiny = {k: v for k, v in TINY.items() if k != 'dictionary'}
    config.write_text(f"_base_ = ['{RECIPES[0]}']\nmodel = {tiny!r}\n")
    torch.manual_seed(0)
    model = MODELS.build(TINY)
    torch.save(dict(state_dict=model.state_dict(), meta=dict()), folder / 'tiny_rec.pth')
    return str(config), str(folder / 'tiny_rec.pth')


def test_mmocr_inferencer_reads_crops_with_clip4str(tiny_recognizer):
    config, weights = tiny_recognizer
    ocr = MMOCRInferencer(rec=config, rec_weights=weights, device='cpu')
    crops = [
        np.full((24, 80, 3), 200, np.uint8),
        np.full((1, 1, 3), 10, np.uint8),
        np.zeros((0, 5, 3), np.uint8)
    ]
    predictions = ocr(crops)['predictions']
    assert len(predictions) == 3
    assert all(isinstance(p['rec_texts'][0], str) for p in predictions)
    assert predictions[2]['rec_texts'] == [''] and predictions[2]['rec_scores'] == [0]


def test_tcm_end_to_end_recognizer_reads_each_polygon(tiny_recognizer):
    recognizer = TextRecognizer(*tiny_recognizer)
    image = np.full((64, 128, 3), 180, np.uint8)
    polygons = [[10, 10, 60, 10, 60, 30, 10, 30], [70, 35, 120, 40, 118, 60, 68, 55],
                [5, 5, 5, 5, 5, 5, 5, 5]]  # the last one has no area
    texts, scores = recognizer(image, polygons)
    assert len(texts) == len(scores) == 3 and all(0 <= s <= 1 for s in scores)
