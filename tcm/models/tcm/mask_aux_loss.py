"""TCM's auxiliary loss for detectors trained on instance masks (Mask R-CNN)."""
from typing import Tuple

import cv2
import numpy as np
from mmocr.registry import MODELS

from .aux_loss import TCMAuxLoss


def _union(instances, size: Tuple[int, int], shape: Tuple[int, int]) -> np.ndarray:
    """The fraction of each target cell ``shape`` that ``instances``' masks cover, the masks
    cropped to the image ``size`` (they may be padded beyond it)."""
    if instances is None or 'masks' not in instances or len(instances) == 0:
        return np.zeros(shape, np.float32)
    region = instances.masks.to_ndarray().any(0)[:size[0], :size[1]].astype(np.float32)
    return cv2.resize(region, (shape[1], shape[0]), interpolation=cv2.INTER_AREA)


@MODELS.register_module()
class TCMMaskAuxLoss(TCMAuxLoss):
    """:class:`TCMAuxLoss` whose targets are MMDetection's instance masks.

    MMDetection's data samples carry each text instance as a mask (``BitmapMasks``, or
    ``PolygonMasks``, which are rasterised) and the ignored ones apart, in
    ``ignored_instances``. The text target is the union of the masks at the score map's
    resolution (a cell is text when masks cover half of it); cells that ignored instances cover
    as much are masked out. Whole regions, as TCM-FCENet's: ``shrink_ratio`` and
    ``min_sidelength`` do not apply.
    """

    def __init__(self, upsample: bool = False, **kwargs) -> None:
        super().__init__(upsample=upsample, **kwargs)

    def _get_target_single(self, data_sample, scale: float) -> Tuple[np.ndarray, np.ndarray]:
        h, w = data_sample.img_shape[:2]
        shape = (int(np.ceil(h * scale)), int(np.ceil(w * scale)))
        text = _union(data_sample.gt_instances, (h, w), shape)
        ignored = _union(data_sample.get('ignored_instances'), (h, w), shape)
        return (text >= 0.5).astype(np.float32), (ignored < 0.5).astype(np.float32)
