"""Text-detection heads MMOCR 1.x lacks."""
from .legacy_pan_head import LegacyPANHead

__all__ = ['LegacyPANHead']
