"""CLIP4STR's RandAugment: the original's 16 ops and ranges on BGR crops."""
import random

import numpy as np
import pytest
from clip4str.datasets import CLIP4STRRandAugment, rand_augment
from PIL import Image, ImageEnhance


def crop(h=24, w=80):
    return np.random.default_rng(0).integers(0, 256, (h, w, 3), dtype=np.uint8)


def recording(monkeypatch):
    drawn = []
    for name, op in list(rand_augment.OPS.items()):
        monkeypatch.setitem(
            rand_augment.OPS,
            name,
            lambda img, m, op=op, name=name: drawn.append((name, m)) or op(img, m))
    return drawn


def test_three_distinct_ops_per_image_at_half_their_range(monkeypatch):
    drawn = recording(monkeypatch)
    aug = CLIP4STRRandAugment(prob=1.0)
    for seed in range(20):
        random.seed(seed)
        np.random.seed(seed)
        results = aug.transform(dict(img=crop()))
        assert results['img'].dtype == np.uint8 and results['img'].ndim == 3
        assert results['img_shape'] == results['img'].shape[:2]
    names = [n for n, _ in drawn]
    assert all(len(set(names[i:i + 3])) == 3 for i in range(0, 60, 3))
    assert {m for _, m in drawn} == {0.5} and len(set(names)) > 10
    assert len(rand_augment.OPS) == 16 and 'Sharpness' not in rand_augment.OPS


def test_each_op_fires_with_probability_half(monkeypatch):
    drawn = recording(monkeypatch)
    aug = CLIP4STRRandAugment()
    random.seed(0)
    np.random.seed(0)
    for _ in range(400):
        aug.augment(Image.fromarray(crop(8, 16)))
    assert 0.45 < len(drawn) / 1200 < 0.55


def test_colour_ops_see_rgb():
    """Colour (saturation) weighs the channels unequally, so a swapped order would show."""
    img = crop()
    random.seed(3)
    out = np.asarray(rand_augment.OPS['Color'](Image.fromarray(img[..., ::-1]), 0.5))
    random.seed(3)
    factor = 1 + (-0.45 if random.random() > 0.5 else 0.45)
    expected = ImageEnhance.Color(Image.fromarray(img[..., ::-1])).enhance(factor)
    np.testing.assert_array_equal(out, np.asarray(expected))
    aug = CLIP4STRRandAugment(num_layers=1, prob=1.0)
    aug.names = ['Color'] * 16
    random.seed(3)
    np.random.seed(0)
    np.testing.assert_array_equal(aug.transform(dict(img=img.copy()))['img'], out[..., ::-1])


def test_rotation_grows_the_canvas_and_geometry_keeps_the_size():
    img = Image.fromarray(crop(20, 100))
    random.seed(1)
    assert rand_augment.OPS['Rotate'](img, 0.5).size[1] > 20
    for name in ('ShearX', 'ShearY', 'TranslateX', 'TranslateY', 'GaussianBlur', 'PoissonNoise'):
        assert rand_augment.OPS[name](img, 0.5).size == img.size, name


@pytest.mark.parametrize('kwargs', [dict(magnitude=11), dict(num_layers=0), dict(num_layers=17)])
def test_bad_arguments_are_one_line(kwargs):
    with pytest.raises(ValueError, match='CLIP4STRRandAugment: magnitude'):
        CLIP4STRRandAugment(**kwargs)
