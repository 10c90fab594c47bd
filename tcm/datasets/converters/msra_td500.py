"""MSRA-TD500 (and HUST-TR400, same format) to MMOCR's textdet JSON.

Each ``IMG_xxxx.gt`` line is ``index difficult x y w h theta``: a ``w x h`` box
whose unrotated top-left corner is ``(x, y)``, rotated by ``theta`` radians about
its centre. Difficult instances become ``ignore=True`` (evaluated as "###"). A line
with a NaN or infinite value is skipped with a warning naming the file and line.

TD500's images keep their names; HUST-TR400's, added to the training split, are
written as ``tr400_<name>``: both sets name their images ``IMG_xxxx``, and one image
must never overwrite the other. A name that would still clash is an error.
"""
import glob
import math
import os
import os.path as osp
import shutil
import warnings
from typing import Dict, List, Optional, Sequence, Tuple

import cv2

from ...utils.errors import InputError
from ..textdet_json import new_dataset_dir, write_textdet_json

TR400_PREFIX = 'tr400_'


def rotated_box(x: float, y: float, w: float, h: float, theta: float) -> List[float]:
    """The four corners (clockwise from the top-left) of a TD500 box."""
    cx, cy = x + w / 2, y + h / 2
    cos, sin = math.cos(theta), math.sin(theta)
    corners = [(x, y), (x + w, y), (x + w, y + h), (x, y + h)]
    return [
        round(v, 2) for px, py in corners
        for v in (cx + cos * (px - cx) - sin * (py - cy), cy + sin * (px - cx) + cos * (py - cy))
    ]


def read_gt(path: str) -> List[Dict]:
    """Instances of one ``.gt`` file."""
    instances = []
    with open(path) as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                _, difficult, x, y, w, h, theta = values = [float(v) for v in line.split()]
            except ValueError:
                raise InputError(f'{path}:{number}: expected "index difficult x y w h theta", '
                                 f'got {line.strip()!r}') from None
            polygon = rotated_box(x, y, w, h, theta) if all(map(math.isfinite, values)) else []
            if not polygon or not all(map(math.isfinite, polygon)):  # overflow: 1e308 + 1e308
                warnings.warn(f'{path}:{number}: NaN or infinite value in {line.strip()!r}; '
                              'box skipped')
                continue
            xs, ys = polygon[0::2], polygon[1::2]
            instances.append(
                dict(
                    polygon=polygon,
                    bbox=[min(xs), min(ys), max(xs), max(ys)],
                    bbox_label=0,
                    ignore=bool(difficult)))
    return instances


def convert_split(sources: Sequence[Tuple[str, str]], root: str, split: str) -> List[Dict]:
    """Copy the images of each ``(folder, name prefix)`` of ``sources`` to
    ``root/textdet_imgs/split`` and read their boxes."""
    data_list = []
    written = {}  # lower-cased relative path -> the image copied there
    os.makedirs(osp.join(root, 'textdet_imgs', split), exist_ok=True)
    for folder, prefix in sources:
        gts = sorted(glob.glob(osp.join(folder, '*.gt')))
        if not gts:
            raise FileNotFoundError(f'{folder}: no .gt annotation files (is this an MSRA-TD500 '
                                    'or HUST-TR400 folder?)')
        for gt in gts:
            stem = osp.splitext(gt)[0]
            image = next((stem + ext for ext in ('.JPG', '.jpg', '.png') if osp.isfile(stem + ext)),
                         None)
            if image is None:
                raise FileNotFoundError(f'{gt}: its image {osp.basename(stem)}.JPG is missing')
            rel = f'textdet_imgs/{split}/{prefix}{osp.basename(image)}'
            if rel.lower() in written:  # lower-cased: some file systems ignore case
                raise InputError(f'{image}: would overwrite {written[rel.lower()]} as {rel}')
            written[rel.lower()] = image
            pixels = cv2.imread(image)
            if pixels is None:
                raise InputError(f'{image}: cannot be read as an image')
            height, width = pixels.shape[:2]
            shutil.copyfile(image, osp.join(root, rel))
            data_list.append(dict(img_path=rel, height=height, width=width, instances=read_gt(gt)))
    return data_list


def convert_td500(td500_root: str, out_dir: str, tr400_dir: Optional[str] = None) -> Dict[str, int]:
    """Write ``out_dir`` with TD500's train (plus HUST-TR400, if given) and test splits."""
    splits = dict(
        train=[(osp.join(td500_root, 'train'), '')] +
        ([(tr400_dir, TR400_PREFIX)] if tr400_dir else []),
        test=[(osp.join(td500_root, 'test'), '')])
    for folder, _ in splits['train'] + splits['test']:
        if not osp.isdir(folder):
            raise FileNotFoundError(f'{folder}: no such folder')
    counts = {}
    with new_dataset_dir(out_dir) as work:
        for split, sources in splits.items():
            data_list = convert_split(sources, work, split)
            write_textdet_json(osp.join(work, f'textdet_{split}.json'), data_list)
            counts[split] = len(data_list)
    return counts
