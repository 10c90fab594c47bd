"""Datasets MMOCR lacks: checked and few-shot OCR datasets, the toy set, MSRA-TD500 conversion."""
from .checked_dataset import CheckedOCRDataset
from .converters import convert_td500
from .few_shot import FewShotOCRDataset
from .toy_text import make_toy_textdet

__all__ = ['CheckedOCRDataset', 'FewShotOCRDataset', 'convert_td500', 'make_toy_textdet']
