"""An ``OCRDataset`` that checks its annotations and images and reports bad data by name."""
import json
import math
import os.path as osp
import warnings
from collections import Counter
from typing import List, Optional

import cv2
from mmocr.datasets import OCRDataset
from mmocr.registry import DATASETS

from ..utils.errors import InputError
from .polygons import sanitize_polygon


class UnreadableImagePolicy:
    """For any MMEngine dataset: an image that cannot be read (missing, empty, truncated, not
    an image) is skipped with a warning in training, so that another is drawn, and is an
    error in testing, since skipping would change the score."""

    def prepare_data(self, idx: int) -> Optional[dict]:
        try:
            return super().prepare_data(idx)
        except (OSError, cv2.error) as exc:
            path = self.get_data_info(idx)['img_path']
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            if self.test_mode:
                raise InputError(f'{path}: cannot be read as an image ({reason})') from None
            warnings.warn(f'skipped {path}: cannot be read as an image ({reason})')
            return None


def _shown(value) -> str:
    """A value as JSON and its type, short enough for a one-line error."""
    if value is None:
        return 'null'
    kind = {bool: 'a boolean', str: 'a string', list: 'a list', dict: 'an object'}
    text = json.dumps(value, default=str)
    return f'{text[:40]}{"..." if len(text) > 40 else ""} ({kind.get(type(value), "a number")})'


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _check_instance(instance, where: str) -> dict:
    """The fields MMOCR's ``LoadOCRAnnotations`` reads besides the polygon, checked and
    normalised: a wrong type there fails silently (``"ignore": "false"`` is truthy, so every
    text would be ignored and the model would learn nothing)."""
    if not isinstance(instance, dict):
        raise InputError(f'{where}: is {_shown(instance)}; need an object')
    if 'ignore' not in instance:
        raise InputError(f'{where}: "ignore" is missing; need true or false')
    ignore = instance['ignore']
    if not (isinstance(ignore, bool) or (type(ignore) is int and ignore in (0, 1))):
        raise InputError(f'{where}: "ignore" is {_shown(ignore)}; need true or false')
    label = instance.get('bbox_label', 0)
    if type(label) is not int or label < 0:
        raise InputError(f'{where}: "bbox_label" is {_shown(label)}; need an integer >= 0')
    if 'text' in instance and not isinstance(instance['text'], str):
        raise InputError(f'{where}: "text" is {_shown(instance["text"])}; need a string')
    return dict(ignore=bool(ignore), bbox_label=label)


@DATASETS.register_module()
class CheckedOCRDataset(UnreadableImagePolicy, OCRDataset):
    """MMOCR's ``OCRDataset`` with a policy for bad data, each case named in one line.

    - A missing dataset folder or annotation file, an annotation file that is not
      valid JSON or lacks ``metainfo`` / ``data_list``: an error, before training starts.
    - A field of the wrong type: an error naming the image, instance and field, since
      MMOCR would read it silently wrong. An entry needs ``img_path`` (a non-empty
      string); ``width`` / ``height`` are positive numbers if given; ``instances`` is a
      list of objects, each with ``ignore`` (true/false; 0/1 are read as such),
      ``bbox_label`` (an integer >= 0, 0 if absent) and ``text`` (a string, if given).
      ``bbox`` is recomputed from the polygon.
    - A text polygon that cannot be used (not numbers, fewer than 3 points, an odd
      number of coordinates, NaN or infinite values, no area): the instance is
      dropped with a warning. Points outside the image are clipped and
      self-intersecting polygons repaired, with a warning.
    - An image that cannot be read (missing, empty, truncated, not an image): in
      training it is skipped with a warning and another image is drawn; in testing
      it is an error, since skipping would change the score.
    - ``filter_cfg`` works in training (MMOCR's ``OCRDataset`` ignores it):
      ``filter_empty_gt`` leaves out images without any text instance, as the
      original's datasets did, and ``min_size`` images whose shorter side is smaller.
      Images whose instances are all ignored are kept. Test sets are never filtered.
      Grayscale, RGBA and 16-bit images are read as 8-bit BGR; EXIF orientation is
      ignored (``color_ignore_orientation``), as annotations refer to stored pixels.
    - A set left with nothing to use: an error saying why, instead of a crash deep in
      MMEngine. A test set needs an image; a training set an image on disk with a text
      that is not ignored.
    """

    def __init__(self, *args, **kwargs) -> None:
        data_root = kwargs.get('data_root') or ''
        if data_root and not osp.isdir(data_root):
            raise FileNotFoundError(f'dataset folder not found: {data_root}')
        super().__init__(*args, **kwargs)

    def load_data_list(self) -> List[dict]:
        if not osp.isfile(self.ann_file):
            raise FileNotFoundError(f'annotation file not found: {self.ann_file}')
        try:
            with open(self.ann_file) as f:
                annotations = json.load(f)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise InputError(f'{self.ann_file}: not valid JSON ({exc})') from None
        if not isinstance(annotations, dict) or not isinstance(annotations.get('metainfo'), dict) \
                or not isinstance(annotations.get('data_list'), list):
            raise InputError(f'{self.ann_file}: not an MMOCR textdet annotation file (need '
                             '{"metainfo": {...}, "data_list": [...]})')
        for key, value in annotations['metainfo'].items():
            self._metainfo.setdefault(key, value)
        self._without_polygon = set()  # img_paths whose every instance was dropped
        for number, raw in enumerate(annotations['data_list']):
            self._check_entry(raw, number)
        return [self.parse_data_info(raw) for raw in annotations['data_list']]

    def _check_entry(self, raw, number: int) -> None:
        """An image's entry: what ``parse_data_info`` and the pipeline read from it."""
        where = f'{self.ann_file}: data_list entry {number}'
        if not isinstance(raw, dict) or 'img_path' not in raw:
            raise InputError(f'{where} has no "img_path": {str(raw)[:80]}')
        if not isinstance(raw['img_path'], str) or not raw['img_path']:
            raise InputError(f'{where}: "img_path" is {_shown(raw["img_path"])}; need a path')
        where = f'{self.ann_file}: {raw["img_path"]}'
        for key in ('width', 'height'):
            value = raw.get(key, 1)
            if not _is_number(value) or not math.isfinite(value) or value <= 0:
                raise InputError(f'{where}: "{key}" is {_shown(value)}; need a positive number')
        if not isinstance(raw.get('instances', []), list):
            raise InputError(f'{where}: "instances" is not a list')

    def parse_data_info(self, raw_data_info: dict) -> dict:
        instances = raw_data_info.get('instances', [])
        kept = []
        for index, instance in enumerate(instances):
            where = f'{self.ann_file}: {raw_data_info["img_path"]} instance {index}'
            fields = _check_instance(instance, where)
            polygon, note = sanitize_polygon(
                instance.get('polygon'), raw_data_info.get('width'), raw_data_info.get('height'))
            if polygon is None:
                warnings.warn(f'{where}: polygon {note}; instance dropped')
                continue
            if note:
                warnings.warn(f'{where}: polygon {note}')
            xs, ys = polygon[0::2], polygon[1::2]
            bbox = [min(xs), min(ys), max(xs), max(ys)]
            kept.append(dict(instance, polygon=polygon, bbox=bbox, **fields))
        info = super().parse_data_info(dict(raw_data_info, instances=kept))
        if instances and not kept:
            self._without_polygon.add(info['img_path'])
        return info

    def filter_data(self) -> List[dict]:
        if self.test_mode:
            if not self.data_list:
                raise InputError(f'{self.ann_file}: no image to test on (its data_list is empty)')
            return self.data_list
        kept = self.data_list
        if self.filter_cfg:
            empty = self.filter_cfg.get('filter_empty_gt', False)
            kept = [
                info for info in kept
                if not (empty and not info['instances']) and self._large_enough(info)
            ]
        if not any(self._usable(info) for info in kept):
            raise InputError(f'{self.ann_file}: no usable image after filtering '
                             f'({self._flaws()})')
        return kept

    def _large_enough(self, info: dict) -> bool:
        min_size = (self.filter_cfg or {}).get('min_size', 0)
        return min(info.get('height', min_size), info.get('width', min_size)) >= min_size

    @staticmethod
    def _usable(info: dict) -> bool:
        """Whether a training image can teach anything: a text to learn, an image to read."""
        path = info['img_path']
        return any(not instance['ignore'] for instance in info['instances']) \
            and ('://' in path or osp.isfile(path))

    def _flaws(self) -> str:
        """Why no training image is usable: the first flaw of each, counted."""
        if not self.data_list:
            return 'its data_list is empty'

        def flaw(info: dict) -> str:
            if info['img_path'] in self._without_polygon:
                return 'without a valid polygon'
            if not info['instances']:
                return 'without a text instance'
            if all(instance['ignore'] for instance in info['instances']):
                return 'with every text ignored'
            if self.filter_cfg and not self._large_enough(info):
                return f'smaller than min_size={self.filter_cfg["min_size"]}'
            return 'missing'

        counts = Counter(flaw(info) for info in self.data_list)
        return f'{len(self.data_list)} images: ' + ', '.join(f'{n} {why}'
                                                             for why, n in counts.items())
