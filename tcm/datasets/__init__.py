"""Datasets MMOCR lacks: the few-shot subset, the synthetic toy set, MSRA-TD500 conversion."""
from .converters import convert_td500
from .few_shot import FewShotOCRDataset
from .toy_text import make_toy_textdet

__all__ = ['FewShotOCRDataset', 'convert_td500', 'make_toy_textdet']
