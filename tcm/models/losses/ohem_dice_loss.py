"""PANet's text loss (OHEM-sampled square dice), for the TCM-PANet auxiliary loss."""
from typing import Optional

import torch
from mmocr.registry import MODELS
from torch import Tensor, nn


@MODELS.register_module()
class OHEMDiceWithLogitsLoss(nn.Module):
    """Square dice on ``sigmoid(logits)`` over all positives and the hardest negatives.

    Per image, the ``negative_ratio`` x positives highest-scoring negatives are kept
    (PANet's OHEM); an image without positives keeps its whole effective mask.
    """

    def __init__(self, negative_ratio: float = 3.0) -> None:
        super().__init__()
        self.negative_ratio = negative_ratio
        self.dice = MODELS.build(dict(type='MaskedSquareDiceLoss'))

    def forward(self, logits: Tensor, gt: Tensor, mask: Optional[Tensor] = None) -> Tensor:
        """``(B, H, W)`` logits, binary targets and effective mask."""
        mask = torch.ones_like(gt) if mask is None else mask
        sampled = torch.stack([
            self._ohem(score, target, valid)
            for score, target, valid in zip(logits.detach(), gt, mask)
        ])
        return self.dice(torch.sigmoid(logits), gt, sampled)

    def _ohem(self, score: Tensor, gt: Tensor, mask: Tensor) -> Tensor:
        positive = gt > 0.5
        num_positive = int((positive & (mask > 0.5)).sum())
        negative_scores = score[~positive]
        num_negative = min(int(num_positive * self.negative_ratio), negative_scores.numel())
        if num_positive == 0 or num_negative == 0:
            return mask
        threshold = negative_scores.topk(num_negative).values[-1]
        return ((score >= threshold) | positive).float() * (mask > 0.5).float()
