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


def legacy_balanced_bce(logits: Tensor, gt: Tensor, mask: Tensor, negative_ratio: float,
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
    """Balanced BCE between ``score_map / tau``, upsampled to the input, and the text kernels.

    Targets come from ``gt_instances.polygons`` and ``gt_instances.ignored``: each
    polygon is shrunk as DBNet shrinks it; ignored, degenerate and unshrinkable
    polygons are masked out. The data samples are never modified, so the loss can
    run before or after a head loss that mutates them.

    Args:
        tau: Temperature turning cosine scores into logits (0.07).
        loss_weight: Weight of the returned ``loss_aux``.
        shrink_ratio: Kernel shrink ratio (0.4 = DBNet's kernels; 1.0 = full text).
        min_sidelength: Polygons whose minimum rectangle is thinner than this are
            ignored, as in DBNet.
        negative_ratio: Hard negatives per positive pixel.
        legacy_batch_mixing: Reproduce the original implementation's cross-image
            weighting (:func:`legacy_balanced_bce`) instead of per-image balancing.
    """

    def __init__(self,
                 tau: float = 0.07,
                 loss_weight: float = 1.0,
                 shrink_ratio: float = 0.4,
                 min_sidelength: float = 8,
                 negative_ratio: float = 3.0,
                 legacy_batch_mixing: bool = False) -> None:
        super().__init__()
        self.tau = tau
        self.loss_weight = loss_weight
        self.shrink_ratio = shrink_ratio
        self.min_sidelength = min_sidelength
        self.negative_ratio = negative_ratio
        self.legacy_batch_mixing = legacy_batch_mixing
        self.loss = MODELS.build(
            dict(type='MaskedBalancedBCEWithLogitsLoss', negative_ratio=negative_ratio))

    def forward(self, score_map: Tensor, data_samples: Sequence[TextDetDataSample]) -> Dict:
        """``score_map``: ``(B, 1, h, w)`` cosine scores of the images in ``data_samples``."""
        if score_map.shape[1] != 1:
            raise ValueError(f'TCMAuxLoss supports one text prompt, got a score map with '
                             f'{score_map.shape[1]} channels')
        size = tuple(data_samples[0].metainfo.get('batch_input_shape', data_samples[0].img_shape))
        gt, mask = self.get_targets(data_samples, size)
        gt, mask = gt.to(score_map.device), mask.to(score_map.device)
        logits = F.interpolate(score_map.float() / self.tau, size=size, mode='bilinear',
                               align_corners=False)
        if self.legacy_batch_mixing:
            loss = legacy_balanced_bce(logits, gt, mask, self.negative_ratio)
        else:
            loss = self.loss(logits[:, 0], gt, mask)
        return dict(loss_aux=self.loss_weight * loss)

    def get_targets(self, data_samples: Sequence[TextDetDataSample],
                    size: Tuple[int, int]) -> Tuple[Tensor, Tensor]:
        """Text kernels and effective masks ``(B, H, W)``, zero-padded to ``size``."""
        targets = [self._get_target_single(sample) for sample in data_samples]

        def pad(array: np.ndarray) -> Tensor:
            h, w = array.shape
            return F.pad(torch.from_numpy(array).float(), (0, size[1] - w, 0, size[0] - h))

        return (torch.stack([pad(kernel) for kernel, _ in targets]),
                torch.stack([pad(mask) for _, mask in targets]))

    def _get_target_single(self, data_sample: TextDetDataSample) -> Tuple[np.ndarray, np.ndarray]:
        polygons = data_sample.gt_instances.polygons
        ignored = data_sample.gt_instances.ignored.clone()
        for idx, polygon in enumerate(polygons):
            ignored[idx] |= self._is_poly_invalid(polygon)
        img_shape = tuple(data_sample.img_shape[:2])
        kernel, ignored = self._generate_kernels(img_shape, polygons, self.shrink_ratio,
                                                 ignore_flags=ignored)
        mask = self._generate_effective_mask(
            img_shape, [p for p, flag in zip(polygons, ignored.tolist()) if flag])
        return (kernel > 0).astype(np.float32), mask

    def _is_poly_invalid(self, polygon: np.ndarray) -> bool:
        points = np.asarray(polygon, dtype=np.float32).reshape(-1, 2)
        if abs(Polygon(points).area) < 1:
            return True
        return min(cv2.minAreaRect(points)[1]) < self.min_sidelength
