"""Crops with no pixels (a degenerate detection, an empty record) kept from crashing Resize."""
import warnings
from typing import Dict, Optional

import numpy as np
from mmcv.transforms import BaseTransform
from mmocr.registry import TRANSFORMS


@TRANSFORMS.register_module()
class GuardEmptyCrop(BaseTransform):
    """Sets ``results['empty_crop']``; an image with no rows or no columns becomes one black
    pixel, which the recognizer reads as the empty text with score 0 (``test_mode``), or is
    dropped with a warning so that training draws another sample (``test_mode=False``).
    Put it right after loading; pack ``'empty_crop'`` with the meta keys."""

    def __init__(self, test_mode: bool = True) -> None:
        self.test_mode = test_mode

    def transform(self, results: Dict) -> Optional[Dict]:
        img = results['img']
        results['empty_crop'] = min(img.shape[:2]) == 0
        if not results['empty_crop']:
            return results
        name = results.get('img_path') or 'an image'
        if not self.test_mode:
            warnings.warn(f'skipped {name}: it has no pixels (shape {img.shape})')
            return None
        results['img'] = np.zeros((1, 1) + img.shape[2:], img.dtype)
        results['img_shape'] = (1, 1)
        return results

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}(test_mode={self.test_mode})'
