"""Datasets MMOCR lacks: the synthetic toy set and converters for MSRA-TD500 / HUST-TR400."""
from .converters import convert_td500
from .toy_text import make_toy_textdet

__all__ = ['convert_td500', 'make_toy_textdet']
