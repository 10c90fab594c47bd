"""CLIP4STR's normalisation: CLIP's mean and std in training, another pair at test time."""
from numbers import Number
from typing import Dict, Optional, Sequence

import torch
from mmocr.models.textrecog.data_preprocessors import TextRecogDataPreprocessor
from mmocr.registry import MODELS


@MODELS.register_module()
class CLIP4STRDataPreprocessor(TextRecogDataPreprocessor):
    """``TextRecogDataPreprocessor`` normalising with ``test_mean`` / ``test_std`` when called
    for inference (``training=False``: validation, testing, the inferencers).

    The original trains with CLIP's statistics but its ``test.py`` and ``read.py`` normalise
    with 0.5 / 0.5, which gave the released models' numbers; one MMOCR preprocessor holds one
    pair, hence this class. Validation during training uses the test pair too.

    Args:
        test_mean, test_std: The inference pair (0-255 units); both or neither.
        **kwargs: ``TextRecogDataPreprocessor``'s arguments (``mean`` / ``std`` for training).
    """

    def __init__(self,
                 test_mean: Optional[Sequence[Number]] = None,
                 test_std: Optional[Sequence[Number]] = None,
                 **kwargs) -> None:
        super().__init__(**kwargs)
        if (test_mean is None) != (test_std is None):
            raise ValueError('CLIP4STRDataPreprocessor: give both test_mean and test_std, or '
                             'neither')
        if test_mean is not None and not self._enable_normalize:
            raise ValueError('CLIP4STRDataPreprocessor: test_mean / test_std need mean / std')
        self.has_test_stats = test_mean is not None
        if self.has_test_stats:
            for name, value in (('test_mean', test_mean), ('test_std', test_std)):
                self.register_buffer(name, torch.tensor(value).view(-1, 1, 1), False)

    def forward(self, data: Dict, training: bool = False) -> Dict:
        if training or not self.has_test_stats:
            return super().forward(data, training)
        mean, std = self.mean, self.std
        self.mean, self.std = self.test_mean, self.test_std
        try:
            return super().forward(data, training)
        finally:
            self.mean, self.std = mean, std
