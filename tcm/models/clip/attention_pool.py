"""CLIP's attention pool, made dense: every token is a query (the DenseCLIP trick TCM relies on)."""
from typing import Tuple

import torch
import torch.nn.functional as F
from open_clip.modified_resnet import AttentionPool2d
from torch import Tensor

from .positional_embedding import resize_positional_embedding


class DenseAttentionPool2d(AttentionPool2d):
    """open_clip's ``AttentionPool2d`` returning the global *and* the dense embedding.

    The stored grid covers ``input_resolution / 32`` and is interpolated to the
    actual feature size on every call, so any input divisible by 32 works.
    """

    def _qkv(self, x: Tensor) -> Tuple[Tensor, Tensor, Tensor]:
        """Queries, keys and values ``(B, heads, 1 + hw, d)`` of C5 ``(B, C, h, w)``."""
        h, w = x.shape[-2:]
        tokens = x.flatten(2).transpose(1, 2)  # B, hw, C
        tokens = torch.cat([tokens.mean(dim=1, keepdim=True), tokens], dim=1)
        pos = resize_positional_embedding(self.positional_embedding, (h, w))
        tokens = tokens + pos.to(tokens.dtype)

        def split(t: Tensor) -> Tensor:
            return t.unflatten(-1, (self.num_heads, -1)).transpose(1, 2)

        return split(self.q_proj(tokens)), split(self.k_proj(tokens)), split(self.v_proj(tokens))

    def forward(self, x: Tensor) -> Tuple[Tensor, Tensor]:
        """Map C5 ``(B, C, h, w)`` to global ``(B, D)`` and dense ``(B, D, h, w)``."""
        b, _, h, w = x.shape
        out = F.scaled_dot_product_attention(*self._qkv(x))
        out = self.c_proj(out.transpose(1, 2).flatten(2))  # B, 1+hw, D
        return out[:, 0], out[:, 1:].transpose(1, 2).reshape(b, -1, h, w)

    def attention(self, x: Tensor) -> Tensor:
        """The head-averaged attention weights ``(B, 1 + hw, 1 + hw)`` of every token (the
        mean first) over every token: where the pool looks, for pictures."""
        q, k, _ = self._qkv(x)
        return (q @ k.transpose(-2, -1) * q.shape[-1]**-0.5).softmax(-1).mean(1)
