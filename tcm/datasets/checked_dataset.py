"""An ``OCRDataset`` that checks its annotations and images and reports bad data by name."""
import json
import os.path as osp
import warnings
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


@DATASETS.register_module()
class CheckedOCRDataset(UnreadableImagePolicy, OCRDataset):
    """MMOCR's ``OCRDataset`` with a policy for bad data, each case named in one line.

    - A missing dataset folder or annotation file, an annotation file that is not
      valid JSON or lacks ``metainfo`` / ``data_list``, an entry without ``img_path``
      or with non-list ``instances``: an error, before training starts.
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
        return [self.parse_data_info(raw) for raw in annotations['data_list']]

    def parse_data_info(self, raw_data_info: dict) -> dict:
        if not isinstance(raw_data_info, dict) or not isinstance(
                raw_data_info.get('img_path'), str):
            raise InputError(f'{self.ann_file}: a data_list entry has no "img_path": '
                             f'{str(raw_data_info)[:80]}')
        instances = raw_data_info.get('instances', [])
        if not isinstance(instances, list):
            raise InputError(f'{self.ann_file}: {raw_data_info["img_path"]}: "instances" is not '
                             'a list')
        kept = []
        for index, instance in enumerate(instances):
            where = f'{raw_data_info["img_path"]} instance {index}'
            polygon, note = sanitize_polygon(
                instance.get('polygon') if isinstance(instance, dict) else None,
                raw_data_info.get('width'), raw_data_info.get('height'))
            if polygon is None:
                warnings.warn(f'{self.ann_file}: {where}: polygon {note}; instance dropped')
                continue
            if note:
                warnings.warn(f'{self.ann_file}: {where}: polygon {note}')
            xs, ys = polygon[0::2], polygon[1::2]
            kept.append(
                dict(
                    instance,
                    polygon=polygon,
                    bbox_label=instance.get('bbox_label', 0),
                    bbox=[min(xs), min(ys), max(xs), max(ys)]))
        return super().parse_data_info(dict(raw_data_info, instances=kept))

    def filter_data(self) -> List[dict]:
        if self.test_mode or not self.filter_cfg:
            return self.data_list
        empty = self.filter_cfg.get('filter_empty_gt', False)
        min_size = self.filter_cfg.get('min_size', 0)
        return [
            info for info in self.data_list if not (empty and not info['instances'])
            and min(info.get('height', min_size), info.get('width', min_size)) >= min_size
        ]
