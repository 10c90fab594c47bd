"""A synthetic text-recognition set: rendered word crops in MMOCR's JSON layout.

The crops are words like the toy detection set's (its characters, fonts and backgrounds), each
on its own patch with a small tilt, for recognizers to train on and then read the words that
toy scenes hold. Images go to ``<root>/textrecog_imgs/{train,test}/`` and labels to
``<root>/textrecog_{train,test}.json``, the layout MMOCR's dataset preparer writes.
"""
from typing import Tuple

import cv2
import numpy as np

from .textdet_json import write_generated_set
from .toy_text import CHARS, FONTS, _background


def _render(rng: np.random.Generator) -> Tuple[str, np.ndarray]:
    """A word and its alpha mask; strokes thin enough for the glyphs to stay apart."""
    word = ''.join(rng.choice(list(CHARS), int(rng.integers(3, 9))))
    font = int(rng.choice(FONTS))
    scale = rng.uniform(0.8, 1.4) * (1.6 if font == cv2.FONT_HERSHEY_PLAIN else 1.0)
    thickness = int(rng.integers(1, 3))
    (w, h), base = cv2.getTextSize(word, font, scale, thickness)
    pad = int(rng.integers(2, 8))
    mask = np.zeros((h + base + 2 * pad, w + 2 * pad), np.uint8)
    cv2.putText(mask, word, (pad, pad + h), font, scale, 255, thickness, cv2.LINE_AA)
    return word, mask


def _make_crop(rng: np.random.Generator) -> Tuple[str, np.ndarray]:
    word, mask = _render(rng)
    h, w = mask.shape
    angle = rng.uniform(-4, 4)
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    alpha = cv2.warpAffine(mask, matrix, (w, h)).astype(np.float32)[..., None] / 255
    img = cv2.resize(_background(rng, max(h, w)), (w, h))
    under = (img * alpha).sum((0, 1)) / max(alpha.sum(), 1)  # the background behind the glyphs
    color = rng.uniform(0, 70, 3) if under.mean() > 128 else rng.uniform(185, 255, 3)
    img = img * (1 - alpha) + color * alpha
    return word, np.clip(img, 0, 255).astype(np.uint8)


def make_toy_textrecog(root: str, num_train: int = 4000, num_test: int = 300, seed: int = 0) -> str:
    """Write the toy crops to ``root`` (which must not exist) and return ``root``."""
    rng = np.random.default_rng(seed)

    def sample():
        word, img = _make_crop(rng)
        return img, dict(instances=[dict(text=word)])

    return write_generated_set(root, 'textrecog', [('train', num_train), ('test', num_test)],
                               sample, 'word')
