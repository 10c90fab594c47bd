"""A synthetic text-detection set: rendered words on varied backgrounds, in MMOCR's JSON layout.

It gives tcm a main job that runs anywhere in minutes, and tests data they make
themselves. Images go to ``<root>/textdet_imgs/{train,test}/`` and annotations to
``<root>/textdet_{train,test}.json``, the layout MMOCR's dataset preparer writes.
"""
import string
from typing import Dict, List, Optional, Tuple

import cv2
import numpy as np

from .textdet_json import write_generated_set

FONTS = (cv2.FONT_HERSHEY_SIMPLEX, cv2.FONT_HERSHEY_DUPLEX, cv2.FONT_HERSHEY_COMPLEX,
         cv2.FONT_HERSHEY_TRIPLEX, cv2.FONT_HERSHEY_PLAIN)
CHARS = string.ascii_letters + string.digits


def _background(rng: np.random.Generator, size: int) -> np.ndarray:
    """A gradient, smooth noise or clutter of shapes, plus pixel noise."""
    kind = rng.integers(3)
    if kind == 0:
        a, b = rng.uniform(0, 255, 3), rng.uniform(0, 255, 3)
        t = np.linspace(0, 1, size)[:, None, None]
        img = (a * (1 - t) + b * t) * np.ones((size, size, 1))
        if rng.random() < 0.5:
            img = img.transpose(1, 0, 2)
    elif kind == 1:
        coarse = rng.uniform(0, 255, (4, 4, 3)).astype(np.float32)
        img = cv2.resize(coarse, (size, size), interpolation=cv2.INTER_CUBIC)
    else:
        img = np.ones((size, size, 3)) * rng.uniform(0, 255, 3)
        for _ in range(rng.integers(3, 9)):
            color = tuple(float(c) for c in rng.uniform(0, 255, 3))
            p, q = rng.integers(0, size, 2), rng.integers(0, size, 2)
            shape = rng.integers(3)
            if shape == 0:
                cv2.rectangle(img, tuple(map(int, p)), tuple(map(int, q)), color, -1)
            elif shape == 1:
                cv2.circle(img, tuple(map(int, p)), int(rng.integers(5, size // 4)), color, -1)
            else:
                cv2.line(img, tuple(map(int, p)), tuple(map(int, q)), color,
                         int(rng.integers(1, 4)))
    img = img + rng.normal(0, 6, img.shape)
    return np.clip(img, 0, 255).astype(np.float32)


def _render_word(rng: np.random.Generator, tiny: bool) -> Tuple[str, np.ndarray, np.ndarray]:
    """One word, its alpha mask and the 4 corners of its glyph box, in patch coordinates."""
    word = ''.join(rng.choice(list(CHARS), int(rng.integers(3, 9))))
    font = int(rng.choice(FONTS))
    scale = rng.uniform(0.25, 0.3) if tiny else rng.uniform(0.6, 1.3)
    thickness = 1 if tiny else int(rng.integers(1, 4))
    (w, h), base = cv2.getTextSize(word, font, scale, thickness)
    pad = 4
    mask = np.zeros((h + base + 2 * pad, w + 2 * pad), np.uint8)
    cv2.putText(mask, word, (pad, pad + h), font, scale, 255, thickness, cv2.LINE_AA)
    ys, xs = np.nonzero(mask > 64)
    x0, x1, y0, y1 = xs.min() - 1, xs.max() + 1, ys.min() - 1, ys.max() + 1
    return word, mask, np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], np.float32)


def _place(rng: np.random.Generator, img: np.ndarray, occupied: np.ndarray,
           tiny: bool) -> Optional[Tuple[np.ndarray, str]]:
    """Paste one rotated word where nothing else is; return its quadrilateral and text, or
    None."""
    size = img.shape[0]
    word, mask, box = _render_word(rng, tiny)
    angle = rng.uniform(-30, 30) if rng.random() < 0.7 else 0.0
    center = np.array(mask.shape[::-1], np.float32) / 2
    for _ in range(20):
        target = rng.uniform(0.15 * size, 0.85 * size, 2)
        matrix = cv2.getRotationMatrix2D(tuple(map(float, center)), angle, 1.0)
        matrix[:, 2] += target - center
        quad = cv2.transform(box[None], matrix)[0]
        if quad.min() < 1 or quad.max() > size - 2:
            continue
        region = np.zeros_like(occupied)
        cv2.fillPoly(region, [np.round(quad).astype(np.int32)], 1)
        if (region & occupied).any():
            continue
        alpha = cv2.warpAffine(mask, matrix, (size, size)).astype(np.float32)[..., None] / 255
        local = img[region.astype(bool)].mean(axis=0)
        color = rng.uniform(0, 70, 3) if local.mean() > 128 else rng.uniform(185, 255, 3)
        img[:] = img * (1 - alpha) + color * alpha
        cv2.dilate(region, np.ones((9, 9), np.uint8), dst=region)
        occupied |= region
        return quad, word
    return None


def _make_image(rng: np.random.Generator, size: int) -> Tuple[np.ndarray, List[Dict]]:
    img = _background(rng, size)
    occupied = np.zeros((size, size), np.uint8)
    instances = []
    for _ in range(int(rng.integers(1, 5))):
        tiny = rng.random() < 0.1
        placed = _place(rng, img, occupied, tiny)
        if placed is None:
            continue
        quad, word = placed
        xs, ys = quad[:, 0], quad[:, 1]
        instances.append(
            dict(
                polygon=[round(float(v), 1) for v in quad.flatten()],
                bbox=[float(xs.min()),
                      float(ys.min()),
                      float(xs.max()),
                      float(ys.max())],
                bbox_label=0,
                ignore=bool(tiny),
                text=word))
    return np.clip(img, 0, 255).astype(np.uint8), instances


def make_toy_textdet(root: str,
                     num_train: int = 400,
                     num_test: int = 50,
                     size: int = 256,
                     seed: int = 0) -> str:
    """Write the toy set to ``root`` (which must not exist) and return ``root``."""
    rng = np.random.default_rng(seed)

    def sample():
        img, instances = _make_image(rng, size)
        return img, dict(height=size, width=size, instances=instances)

    return write_generated_set(root, 'textdet', [('train', num_train), ('test', num_test)], sample,
                               'img')
