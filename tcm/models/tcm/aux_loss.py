"""TCM's auxiliary loss on the instance-language score map, built from the data samples."""
from typing import Dict, Sequence, Tuple

import cv2
import numpy as np
import torch
import torch.nn.functional as F
from mmocr.models.textdet.module_losses.seg_based_module_loss import SegBasedModuleLoss
from mmocr.registry import MODELS
from mmocr.structures import TextDetDataSample
from shapely.geometry import Polygon
from torch import Tensor

from ...utils.errors import InputError


def legacy_balanced_bce(logits: Tensor,
                        gt: Tensor,
                        mask: Tensor,
                        negative_ratio: float,
                        eps: float = 1e-6) -> Tensor:
    """The original TCM's balanced BCE, batch-mixing bug included.

    ``logits`` is ``(N, 1, H, W)`` but ``gt`` and ``mask`` are ``(N, H, W)``: the
    product broadcasts to ``(N, N, H, W)``, so every image's BCE is weighted by the
    masks of every image in the batch while the normaliser counts one batch. The
    released checkpoints were trained this way (16 images per GPU); use it only to
    retrain them faithfully.
    """
    positive = gt * mask
    negative = (1 - gt) * mask
    positive_count = int(positive.sum())
    negative_count = min(int(negative.sum()), int(positive_count * negative_ratio))
    loss = F.binary_cross_entropy_with_logits(logits, gt[:, None], reduction='none')
    negative_loss, _ = torch.topk((loss * negative).flatten(), negative_count)
    return ((loss * positive).sum() + negative_loss.sum()) / (positive_count + negative_count + eps)


@MODELS.register_module()
class TCMAuxLoss(SegBasedModuleLoss):
    """A loss between ``score_map / tau`` and text-region targets built from the data samples.

    Targets come from ``gt_instances.polygons`` and ``gt_instances.ignored``: each
    polygon is shrunk as DBNet shrinks it (``shrink_ratio=1`` keeps it whole);
    ignored, degenerate and unshrinkable polygons are masked out. The data samples
    are never modified, so the loss can run before a head loss that mutates them.

    The original detectors differ in where the comparison happens and with which
    loss: TCM-DBNet upsamples the score map to the input and uses balanced BCE on
    shrunk kernels (the defaults); TCM-FCENet compares at the score map's own
    resolution (``upsample=False``) on full text regions; TCM-PANet upsamples and
    uses OHEM with a dice loss (``loss=dict(type='OHEMDiceWithLogitsLoss')``).

    Args:
        tau: Temperature turning cosine scores into logits (0.07).
        loss_weight: Weight of the returned ``loss_aux``.
        shrink_ratio: Kernel shrink ratio (0.4 = DBNet's kernels; 1.0 = full text).
        min_sidelength: Polygons whose minimum rectangle is thinner than this are
            ignored, as in DBNet (0 keeps them).
        upsample: Compare at the input resolution (bilinear upsampling of the score
            map) rather than on polygons scaled down to the score map.
        loss: Any MMOCR masked loss ``(logits, gt, mask)``.
        legacy_batch_mixing: With the balanced BCE, reproduce the original
            implementation's cross-image weighting (:func:`legacy_balanced_bce`).
    """

    def __init__(self,
                 tau: float = 0.07,
                 loss_weight: float = 1.0,
                 shrink_ratio: float = 0.4,
                 min_sidelength: float = 8,
                 upsample: bool = True,
                 loss: Dict = dict(type='MaskedBalancedBCEWithLogitsLoss', negative_ratio=3),
                 legacy_batch_mixing: bool = False) -> None:
        super().__init__()
        self.tau = tau
        self.loss_weight = loss_weight
        self.shrink_ratio = shrink_ratio
        self.min_sidelength = min_sidelength
        self.upsample = upsample
        self.loss = MODELS.build(loss)
        if legacy_batch_mixing and loss['type'] != 'MaskedBalancedBCEWithLogitsLoss':
            raise InputError('legacy_batch_mixing reproduces the balanced BCE of the original; '
                             f'it does not apply to {loss["type"]}')
        self.legacy_batch_mixing = legacy_batch_mixing

    def forward(self, score_map: Tensor, data_samples: Sequence[TextDetDataSample]) -> Dict:
        """``score_map``: ``(B, 1, h, w)`` cosine scores of the images in ``data_samples``."""
        if score_map.shape[1] != 1:
            raise InputError(f'TCMAuxLoss supports one text prompt, got a score map with '
                             f'{score_map.shape[1]} channels')
        input_size = tuple(data_samples[0].metainfo.get('batch_input_shape',
                                                        data_samples[0].img_shape))
        logits = score_map.float() / self.tau
        if self.upsample:
            size, scale = input_size, 1.0
            logits = F.interpolate(logits, size=size, mode='bilinear', align_corners=False)
        else:
            size, scale = tuple(score_map.shape[-2:]), score_map.shape[-2] / input_size[0]
        gt, mask = self.get_targets(data_samples, size, scale)
        gt, mask = gt.to(logits.device), mask.to(logits.device)
        if self.legacy_batch_mixing:
            loss = legacy_balanced_bce(logits, gt, mask, self.loss.negative_ratio)
        else:
            loss = self.loss(logits[:, 0], gt, mask)
        return dict(loss_aux=self.loss_weight * loss)

    def get_targets(self,
                    data_samples: Sequence[TextDetDataSample],
                    size: Tuple[int, int],
                    scale: float = 1.0) -> Tuple[Tensor, Tensor]:
        """Text kernels and effective masks ``(B, *size)`` of polygons scaled by ``scale``."""
        targets = [self._get_target_single(sample, scale) for sample in data_samples]

        def pad(array: np.ndarray) -> Tensor:
            h, w = array.shape
            return F.pad(torch.from_numpy(array).float(), (0, size[1] - w, 0, size[0] - h))

        return (torch.stack([pad(kernel) for kernel, _ in targets]),
                torch.stack([pad(mask) for _, mask in targets]))

    def _get_target_single(self, data_sample: TextDetDataSample,
                           scale: float) -> Tuple[np.ndarray, np.ndarray]:
        ignored = data_sample.gt_instances.ignored.clone()
        polygons = data_sample.gt_instances.polygons
        for idx, polygon in enumerate(polygons):
            ignored[idx] |= self._is_poly_invalid(polygon)
        polygons = [np.asarray(p, np.float32) * scale for p in polygons]
        h, w = data_sample.img_shape[:2]
        shape = (int(np.ceil(h * scale)), int(np.ceil(w * scale)))
        kernel, ignored = self._generate_kernels(
            shape, polygons, self.shrink_ratio, ignore_flags=ignored)
        mask = self._generate_effective_mask(
            shape, [p for p, flag in zip(polygons, ignored.tolist()) if flag])
        return (kernel > 0).astype(np.float32), mask

    def _is_poly_invalid(self, polygon: np.ndarray) -> bool:
        points = np.asarray(polygon, dtype=np.float32).reshape(-1, 2)
        if abs(Polygon(points).area) < 1:
            return True
        return min(cv2.minAreaRect(points)[1]) < self.min_sidelength
