"""CLIP4STR's RandAugment: the original's 16 ops and ranges on BGR crops, timm left untouched."""
import random

import numpy as np
import pytest
from clip4str.datasets import CLIP4STRRandAugment
from PIL import Image, ImageEnhance
from timm.data import auto_augment


def crop(h=24, w=80):
    return np.random.default_rng(0).integers(0, 256, (h, w, 3), dtype=np.uint8)


def test_the_ops_are_timms_without_sharpness_plus_blur_and_noise():
    names = [op.name for op in CLIP4STRRandAugment().ops]
    assert len(names) == 16 and 'SharpnessIncreasing' not in names
    assert names[-2:] == ['GaussianBlur', 'PoissonNoise']
    assert auto_augment.NAME_TO_OP['Rotate'] is auto_augment.rotate  # no global patching


def test_three_distinct_ops_per_image_and_a_valid_bgr_result():
    aug = CLIP4STRRandAugment()
    drawn = []
    for op in aug.ops:
        op.aug_fn = (lambda fn, name: lambda img, *a, **k: drawn.append(name) or fn(img, *a, **k))(
            op.aug_fn, op.name)
        op.prob = 1.0
    random.seed(0)
    np.random.seed(0)
    results = aug.transform(dict(img=crop()))
    assert len(drawn) == 3 and len(set(drawn)) == 3
    assert results['img'].dtype == np.uint8 and results['img'].ndim == 3
    assert results['img_shape'] == results['img'].shape[:2]


def test_colour_ops_see_rgb():
    """Colour (saturation) weighs the channels unequally, so a swapped order would show."""
    aug = CLIP4STRRandAugment()
    color = next(op for op in aug.ops if op.name == 'ColorIncreasing')
    aug.ops, color.prob = [color] * 16, 1.0  # always this op
    aug.num_layers = 1
    img = crop()
    random.seed(0)
    np.random.seed(0)
    out = aug.transform(dict(img=img.copy()))['img']
    random.seed(0)
    np.random.seed(0)
    np.random.choice(16, 1, replace=False, p=np.full(16, 1 / 16))  # the draw of the op
    level = color.level_fn(color.magnitude, color.hparams)[0]
    expected = ImageEnhance.Color(Image.fromarray(img[..., ::-1])).enhance(level)
    np.testing.assert_array_equal(out, np.asarray(expected)[..., ::-1])


def test_rotation_grows_the_canvas_and_ranges_follow_the_original():
    aug = CLIP4STRRandAugment()
    ops = {op.name: op for op in aug.ops}
    rotate = ops['Rotate']
    rotate.prob = 1.0
    assert rotate(Image.fromarray(crop(20, 100))).size[1] > 20
    random.seed(1)
    # magnitude 5 of 10: half of the original's 30 degrees, 0.9 / 0.2 shear, 0.1 / 0.3 shift
    for name, top in (('Rotate', 15), ('ShearX', 0.45), ('ShearY', 0.1), ('TranslateXRel', 0.05),
                      ('TranslateYRel', 0.15)):
        levels = [ops[name].level_fn(5, ops[name].hparams)[0] for _ in range(16)]
        assert [abs(v) for v in levels] == pytest.approx([top] * 16), name
        assert min(levels) < 0 < max(levels), name  # either sign
    assert ops['GaussianBlur'].level_fn(5, {})[0] == 2 and ops['PoissonNoise'].level_fn(5,
                                                                                        {})[0] == 20


@pytest.mark.parametrize('kwargs', [dict(magnitude=11), dict(num_layers=0), dict(num_layers=17)])
def test_bad_arguments_are_one_line(kwargs):
    with pytest.raises(ValueError, match='CLIP4STRRandAugment: magnitude'):
        CLIP4STRRandAugment(**kwargs)
