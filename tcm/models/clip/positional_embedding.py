"""Resizing CLIP's learned positional grids to other input sizes."""
from typing import Tuple

import torch
import torch.nn.functional as F
from torch import Tensor

from ...utils.errors import InputError


def resize_positional_embedding(pos: Tensor, grid: Tuple[int, int]) -> Tensor:
    """Resize a ``(1 + S*S, C)`` CLIP positional table to ``(1 + h*w, C)``.

    Row 0 (the class or mean token) is kept; the square grid is resized bilinearly with
    ``align_corners=False``, the rule the original TCM applied both at load time and on
    every forward. The table itself is returned when the sizes already match.
    """
    side = int(round((pos.shape[0] - 1)**0.5))
    if side * side != pos.shape[0] - 1:
        raise InputError(f'positional embedding of {pos.shape[0]} rows is not 1 + a square grid')
    h, w = grid
    if (h, w) == (side, side):
        return pos
    spatial = pos[1:].reshape(1, side, side, -1).permute(0, 3, 1, 2)
    spatial = F.interpolate(spatial.float(), size=(h, w), mode='bilinear', align_corners=False)
    spatial = spatial.to(pos.dtype).flatten(2)[0].t()
    return torch.cat([pos[:1], spatial], dim=0)
