"""Datasets MMOCR lacks: checked and few-shot OCR datasets, the toy sets, MSRA-TD500 conversion."""
from .checked_dataset import CheckedOCRDataset, UnreadableImagePolicy
from .converters import convert_td500
from .few_shot import FewShotOCRDataset
from .toy_text import make_toy_textdet
from .toy_words import make_toy_textrecog

__all__ = [
    'CheckedOCRDataset', 'FewShotOCRDataset', 'UnreadableImagePolicy', 'convert_td500',
    'make_toy_textdet', 'make_toy_textrecog'
]
