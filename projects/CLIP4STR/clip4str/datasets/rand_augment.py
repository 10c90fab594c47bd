"""CLIP4STR's (PARSeq's) RandAugment: timm's ops, tuned for text, on the crop before resizing."""
import random
from functools import partial
from typing import Dict, List

import imgaug.augmenters as iaa
import numpy as np
from mmcv.transforms import BaseTransform
from mmocr.registry import TRANSFORMS
from PIL import Image, ImageFilter
from timm.data import auto_augment
from timm.data.auto_augment import AugmentOp

#: timm's increasing-magnitude ops without SharpnessIncreasing (it fights the blur), then the
#: two ops the original adds.
OPS = [n for n in auto_augment._RAND_INCREASING_TRANSFORMS if n != 'SharpnessIncreasing'] + \
    ['GaussianBlur', 'PoissonNoise']
#: The original's geometric ranges at magnitude 10 (halved at its magnitude 5).
HPARAMS = dict(
    rotate_deg=30, shear_x_pct=0.9, shear_y_pct=0.2, translate_x_pct=0.10, translate_y_pct=0.30)
SIGNED_LEVELS = dict(
    Rotate='rotate_deg',
    ShearX='shear_x_pct',
    ShearY='shear_y_pct',
    TranslateXRel='translate_x_pct',
    TranslateYRel='translate_y_pct')


def _signed_level(level: float, hparams: Dict, key: str) -> tuple:
    value = level / auto_augment._LEVEL_DENOM * hparams[key]
    return (-value if random.random() > 0.5 else value, )


def _scaled_level(level: float, _hparams: Dict, top: float) -> tuple:
    return (top * level / auto_augment._LEVEL_DENOM, )


def _bounded(level: float, img: Image.Image, side_fraction: float) -> int:
    """``level`` rounded, at most ``side_fraction`` of the longer side (and at least 1)."""
    return round(min(level, max(1, side_fraction * max(img.size))))


def rotate_expand(img: Image.Image, degrees: float, **kwargs) -> Image.Image:
    """timm's rotate with the canvas grown, so that no character is cut off."""
    return auto_augment.rotate(img, degrees, **dict(kwargs, expand=True))


def gaussian_blur(img: Image.Image, radius: float, **_) -> Image.Image:
    return img.filter(ImageFilter.GaussianBlur(_bounded(radius, img, 0.02)))


def poisson_noise(img: Image.Image, lam: float, **_) -> Image.Image:
    noise = iaa.AdditivePoissonNoise(_bounded(lam, img, 0.2) | 1)  # odd values only
    return Image.fromarray(noise(image=np.asarray(img)))


def text_ops(magnitude: float, prob: float) -> List[AugmentOp]:
    """The 16 ops, as timm's ``AugmentOp`` with the original's functions and ranges set on
    each op (the original patches timm's global tables instead)."""
    ops = []
    for name in OPS:
        custom = name in ('GaussianBlur', 'PoissonNoise')
        op = AugmentOp('Invert' if custom else name, prob, magnitude, HPARAMS)
        if name in SIGNED_LEVELS:
            op.level_fn = partial(_signed_level, key=SIGNED_LEVELS[name])
        if name == 'Rotate':
            op.aug_fn = rotate_expand
        elif name == 'GaussianBlur':
            op.name, op.aug_fn, op.level_fn = name, gaussian_blur, partial(_scaled_level, top=4)
        elif name == 'PoissonNoise':
            op.name, op.aug_fn, op.level_fn = name, poisson_noise, partial(_scaled_level, top=40)
        ops.append(op)
    return ops


@TRANSFORMS.register_module()
class CLIP4STRRandAugment(BaseTransform):
    """``num_layers`` distinct ops drawn from the 16, each applied with probability ``prob``,
    to ``results['img']`` (BGR) before it is resized, as the original's training pipeline.

    Args:
        magnitude: timm's magnitude, 0 to 10 (5).
        num_layers: Ops drawn per image (3).
        prob: Chance each drawn op is applied (0.5).
    """

    def __init__(self, magnitude: float = 5, num_layers: int = 3, prob: float = 0.5) -> None:
        if not 0 <= magnitude <= auto_augment._LEVEL_DENOM or not 0 < num_layers <= len(OPS):
            raise ValueError(f'CLIP4STRRandAugment: magnitude {magnitude} must be in 0..10 and '
                             f'num_layers {num_layers} in 1..{len(OPS)}')
        self.magnitude, self.num_layers, self.prob = magnitude, num_layers, prob
        self.ops = text_ops(magnitude, prob)

    def transform(self, results: Dict) -> Dict:
        img = Image.fromarray(np.ascontiguousarray(results['img'][..., ::-1]))
        uniform = np.full(len(self.ops), 1 / len(self.ops))  # numpy's weighted draw, as timm's
        for op in np.random.choice(self.ops, self.num_layers, replace=False, p=uniform):
            img = op(img)
        out = np.ascontiguousarray(np.asarray(img.convert('RGB'))[..., ::-1])
        results['img'], results['img_shape'] = out, out.shape[:2]
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(magnitude={self.magnitude}, '
                f'num_layers={self.num_layers}, prob={self.prob})')
