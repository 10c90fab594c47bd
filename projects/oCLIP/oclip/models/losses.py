"""oCLIP's image-text contrastive loss over every rank's batch."""
import torch
import torch.nn.functional as F
from mmengine import dist
from torch import Tensor


def gather_local_first(features: Tensor) -> Tensor:
    """Every rank's rows, this rank's first (and the only ones that carry gradients), then the
    others in rank order: the original's layout, so that the targets stay ``arange``."""
    world = dist.get_world_size()
    if world == 1:
        return features
    rank = dist.get_rank()
    parts = dist.all_gather(features.detach())
    return torch.cat([features] + parts[:rank] + parts[rank + 1:])


def contrastive_loss(image: Tensor, text: Tensor, logit_scale: Tensor) -> Tensor:
    """Symmetric InfoNCE of L2-normalised ``image`` and ``text`` features ``(B, D)`` with the
    learned temperature ``exp(logit_scale)`` (not clamped, as the original)."""
    image, text = gather_local_first(image), gather_local_first(text)
    logits = logit_scale.exp() * image @ text.t()
    target = torch.arange(len(logits), device=logits.device)
    return (F.cross_entropy(logits, target) + F.cross_entropy(logits.t(), target)) / 2
