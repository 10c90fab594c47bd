"""Text-detection heads MMOCR 1.x lacks, and float32 outputs and losses for any head under AMP."""
from .float32_head import float32_head, float32_loss
from .legacy_pan_head import LegacyPANHead

__all__ = ['LegacyPANHead', 'float32_head', 'float32_loss']
