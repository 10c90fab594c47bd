"""CLIP4STR's (PARSeq's) RandAugment on Pillow, the crop augmented before it is resized.

The original builds timm's RandAugment and patches timm's global op tables; here the 16 ops
are written out on Pillow (what torchvision and timm run for PIL images), with the original's
ranges and the same draws from Python's and numpy's generators, so that equal seeds give equal
crops and no timm API is relied on.
"""
import random
from typing import Callable, Dict, List

import imgaug.augmenters as iaa
import numpy as np
from mmcv.transforms import BaseTransform
from mmocr.registry import TRANSFORMS
from PIL import Image, ImageEnhance, ImageFilter, ImageOps

FILL = (128, 128, 128)
RESAMPLE = (Image.BILINEAR, Image.BICUBIC)  # one drawn per geometric op


def _signed(value: float) -> float:
    return -value if random.random() > 0.5 else value


def _affine(img: Image.Image, matrix: tuple) -> Image.Image:
    return img.transform(
        img.size, Image.AFFINE, matrix, resample=random.choice(RESAMPLE), fillcolor=FILL)


def _bounded(level: float, img: Image.Image, side_fraction: float) -> int:
    """``level`` rounded, at most ``side_fraction`` of the longer side (and at least 1)."""
    return round(min(level, max(1, side_fraction * max(img.size))))


def rotate(img: Image.Image, m: float) -> Image.Image:
    degrees = _signed(30 * m)  # the level is drawn before the resampling filter
    return img.rotate(degrees, resample=random.choice(RESAMPLE), expand=True, fillcolor=FILL)


def enhance(kind) -> Callable:
    return lambda img, m: kind(img).enhance(max(0.1, 1 + _signed(0.9 * m)))


def shear_x(img: Image.Image, m: float) -> Image.Image:
    return _affine(img, (1, _signed(0.9 * m), 0, 0, 1, 0))


def shear_y(img: Image.Image, m: float) -> Image.Image:
    return _affine(img, (1, 0, 0, _signed(0.2 * m), 1, 0))


def translate_x(img: Image.Image, m: float) -> Image.Image:
    return _affine(img, (1, 0, _signed(0.1 * m) * img.size[0], 0, 1, 0))


def translate_y(img: Image.Image, m: float) -> Image.Image:
    return _affine(img, (1, 0, 0, 0, 1, _signed(0.3 * m) * img.size[1]))


def posterize(img: Image.Image, m: float) -> Image.Image:
    return ImageOps.posterize(img, 4 - int(4 * m))


def solarize(img: Image.Image, m: float) -> Image.Image:
    return ImageOps.solarize(img, 256 - min(256, int(256 * m)))


def solarize_add(img: Image.Image, m: float) -> Image.Image:
    add = min(128, int(110 * m))
    return img.point([min(255, i + add) if i < 128 else i
                      for i in range(256)] * len(img.getbands()))


def gaussian_blur(img: Image.Image, m: float) -> Image.Image:
    return img.filter(ImageFilter.GaussianBlur(_bounded(4 * m, img, 0.02)))


def poisson_noise(img: Image.Image, m: float) -> Image.Image:
    noise = iaa.AdditivePoissonNoise(_bounded(40 * m, img, 0.2) | 1)  # odd values only
    return Image.fromarray(noise(image=np.asarray(img)))


#: The original's 16 ops (timm's increasing-magnitude set without Sharpness, which fights the
#: blur, plus blur and noise), each ``op(img, m)`` with m = magnitude / 10. Rotation grows the
#: canvas so that no character is cut off; shear and shift are the original's text ranges.
OPS: Dict[str, Callable[[Image.Image, float], Image.Image]] = {
    'AutoContrast': lambda img, m: ImageOps.autocontrast(img),
    'Equalize': lambda img, m: ImageOps.equalize(img),
    'Invert': lambda img, m: ImageOps.invert(img),
    'Rotate': rotate,
    'Posterize': posterize,
    'Solarize': solarize,
    'SolarizeAdd': solarize_add,
    'Color': enhance(ImageEnhance.Color),
    'Contrast': enhance(ImageEnhance.Contrast),
    'Brightness': enhance(ImageEnhance.Brightness),
    'ShearX': shear_x,
    'ShearY': shear_y,
    'TranslateX': translate_x,
    'TranslateY': translate_y,
    'GaussianBlur': gaussian_blur,
    'PoissonNoise': poisson_noise,
}


@TRANSFORMS.register_module()
class CLIP4STRRandAugment(BaseTransform):
    """``num_layers`` distinct ops drawn from :data:`OPS`, each applied with probability
    ``prob``, to ``results['img']`` (BGR) before it is resized, as the original's training
    pipeline.

    Args:
        magnitude: 0 to 10 (5: half of each op's range).
        num_layers: Ops drawn per image (3).
        prob: Chance each drawn op is applied (0.5).
    """

    def __init__(self, magnitude: float = 5, num_layers: int = 3, prob: float = 0.5) -> None:
        if not 0 <= magnitude <= 10 or not 0 < num_layers <= len(OPS):
            raise ValueError(f'CLIP4STRRandAugment: magnitude {magnitude} must be in 0..10 and '
                             f'num_layers {num_layers} in 1..{len(OPS)}')
        self.magnitude, self.num_layers, self.prob = magnitude, num_layers, prob
        self.names: List[str] = list(OPS)

    def augment(self, img: Image.Image) -> Image.Image:
        uniform = np.full(len(self.names), 1 / len(self.names))  # as the original draws them
        for name in np.random.choice(self.names, self.num_layers, replace=False, p=uniform):
            if self.prob >= 1 or random.random() <= self.prob:
                img = OPS[name](img, self.magnitude / 10)
        return img

    def transform(self, results: Dict) -> Dict:
        img = self.augment(Image.fromarray(np.ascontiguousarray(results['img'][..., ::-1])))
        out = np.ascontiguousarray(np.asarray(img.convert('RGB'))[..., ::-1])
        results['img'], results['img_shape'] = out, out.shape[:2]
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(magnitude={self.magnitude}, '
                f'num_layers={self.num_layers}, prob={self.prob})')
