"""A fixed, seeded fraction of a text-detection set: the few-shot setting of the TCM paper."""
from typing import List

import numpy as np
from mmocr.registry import DATASETS

from ..utils.errors import InputError
from .checked_dataset import CheckedOCRDataset


@DATASETS.register_module()
class FewShotOCRDataset(CheckedOCRDataset):
    """``CheckedOCRDataset`` keeping ``ratio`` of its (filtered) images, drawn with ``seed``.

    The same ratio and seed give the same images on every run and every machine,
    so few-shot results are repeatable. Test sets (``test_mode=True``) are never cut.

    Args:
        ratio: Fraction of images to keep, in ``(0, 1]``.
        seed: Seed of the draw.
        **kwargs: ``CheckedOCRDataset`` arguments.
    """

    def __init__(self, ratio: float = 1.0, seed: int = 0, **kwargs) -> None:
        if not isinstance(ratio, (int, float)) or not 0 < ratio <= 1:
            raise InputError(f'FewShotOCRDataset: ratio={ratio!r} must be a number in (0, 1]')
        self.ratio = float(ratio)
        self.seed = seed
        super().__init__(**kwargs)

    def filter_data(self) -> List[dict]:
        data_list = super().filter_data()
        if self.ratio == 1.0 or self.test_mode:
            return data_list
        keep = max(1, round(self.ratio * len(data_list)))
        chosen = np.random.default_rng(self.seed).choice(len(data_list), keep, replace=False)
        return [data_list[i] for i in sorted(chosen)]
