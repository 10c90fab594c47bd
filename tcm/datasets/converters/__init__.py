"""Converters from official dataset archives to MMOCR's textdet JSON."""
from .msra_td500 import convert_td500, read_gt, rotated_box

__all__ = ['convert_td500', 'read_gt', 'rotated_box']
