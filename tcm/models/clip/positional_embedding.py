"""Resizing CLIP's learned positional grids to other input sizes."""
import math
from typing import Optional, Tuple

import torch
import torch.nn.functional as F
from torch import Tensor

from ...utils.errors import InputError


def resize_positional_embedding(pos: Tensor,
                                grid: Tuple[int, int],
                                source: Optional[Tuple[int, int]] = None) -> Tensor:
    """Resize a ``(1 + H*W, C)`` CLIP positional table to ``(1 + h*w, C)``.

    Row 0 (the class or mean token) is kept; the ``source`` grid (default: square, as CLIP's
    weights) is resized bilinearly with ``align_corners=False``, the rule the original TCM
    applied both at load time and on every forward. The table itself is returned when the
    sizes already match (except while exporting, where the sizes are symbolic and the graph
    must resize for every input size).
    """
    side = math.isqrt(int(pos.shape[0]) - 1)  # int(): also under tracing (FLOP counting)
    sh, sw = source or (side, side)
    if sh * sw != pos.shape[0] - 1:
        shape = f'{sh}x{sw}' if source else 'square'
        raise InputError(f'positional embedding of {pos.shape[0]} rows is not 1 + a {shape} grid')
    h, w = grid
    if (h, w) == (sh, sw) and not torch.compiler.is_exporting():
        return pos
    spatial = pos[1:].reshape(1, sh, sw, -1).permute(0, 3, 1, 2)
    spatial = F.interpolate(spatial.float(), size=(h, w), mode='bilinear', align_corners=False)
    spatial = spatial.to(pos.dtype).flatten(2)[0].t()
    return torch.cat([pos[:1], spatial], dim=0)
