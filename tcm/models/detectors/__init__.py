from .tcm_detector import TCMDetector

__all__ = ['TCMDetector']
