"""Datasets MMOCR lacks."""
from .toy_text import make_toy_textdet

__all__ = ['make_toy_textdet']
