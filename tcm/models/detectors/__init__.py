from .fasttcm_detector import FastTCMDetector
from .tcm_detector import TCMDetector
from .tcm_mask_rcnn import TCMMaskRCNN

__all__ = ['FastTCMDetector', 'TCMDetector', 'TCMMaskRCNN']
