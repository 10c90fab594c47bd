"""FastTCM's bimodal similarity matching: image conditioning put back after an image-free text branch."""
import torch
import torch.nn.functional as F
from mmocr.registry import MODELS
from torch import Tensor, nn


@MODELS.register_module()
class BimodalSimilarityMatching(nn.Module):
    """``t <- (t . g) g + t`` with ``t`` the normalised text and ``g`` the projected image.

    FastTCM feeds the language prompt generator a learned meta query, so the text
    embedding no longer depends on the image and can be computed once; this block
    brings the image back, cheaply, after the text encoder. ``g`` is the global
    image embedding projected by ``pix_w`` and normalised.

    The released code sized ``pix_w`` (1024, 512) and multiplied the result with
    1024-d text embeddings, which cannot broadcast; here it is
    ``(visual_dim, text_dim)``, the shape that works. Its all-ones initialisation
    is kept.
    """

    def __init__(self, visual_dim: int = 1024, text_dim: int = 1024) -> None:
        super().__init__()
        self.pix_w = nn.Parameter(torch.ones(visual_dim, text_dim))

    def forward(self, global_embedding: Tensor, text: Tensor) -> Tensor:
        """``(B, visual_dim)`` image and ``(B, K, text_dim)`` text -> ``(B, K, text_dim)``."""
        image = F.normalize(global_embedding @ self.pix_w, dim=-1)[:, None]  # B, 1, C
        text = F.normalize(text, dim=-1)
        return (text * image).sum(dim=-1, keepdim=True) * image + text
