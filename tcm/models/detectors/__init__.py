from .fasttcm_detector import FastTCMDetector
from .tcm_detector import TCMDetector

__all__ = ['FastTCMDetector', 'TCMDetector']
