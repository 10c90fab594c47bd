"""Instance-language matching: how well each pixel embedding matches each text embedding."""
import torch
import torch.nn.functional as F
from torch import Tensor


def instance_language_score(dense: Tensor, text: Tensor) -> Tensor:
    """Cosine similarity of ``(B, C, h, w)`` pixel and ``(B, K, C)`` text embeddings.

    Returns the ``(B, K, h, w)`` score map in ``[-1, 1]``. No temperature here: TCM
    fuses the raw cosine map and applies ``1 / tau`` only inside the auxiliary loss.
    """
    return torch.einsum('bchw,bkc->bkhw', F.normalize(dense, dim=1), F.normalize(text, dim=2))
