"""The context decoder, used twice by TCM: as visual prompt generator and as text refiner."""
import torch
import torch.nn.functional as F
from mmocr.registry import MODELS
from torch import Tensor, nn

from .weight_init import init_trunc_normal


class Attention(nn.Module):
    """Multi-head attention with separate bias-free q/k/v projections (TCM's key layout)."""

    def __init__(self, dim: int, num_heads: int, proj_drop: float = 0.) -> None:
        super().__init__()
        self.num_heads = num_heads
        self.q_proj = nn.Linear(dim, dim, bias=False)
        self.k_proj = nn.Linear(dim, dim, bias=False)
        self.v_proj = nn.Linear(dim, dim, bias=False)
        self.proj = nn.Linear(dim, dim)
        self.proj_drop = nn.Dropout(proj_drop)

    def forward(self, q: Tensor, k: Tensor, v: Tensor) -> Tensor:
        if k.shape[1] == 1 and not torch.is_grad_enabled():
            # Softmax over a single key is 1: every query gets that key's value. Exact, and
            # saves the query projection of all h*w visual tokens in the visual prompt
            # generator when there is one class prompt (K=1). Not taken with gradients, where
            # q/k_proj must stay in the graph (DDP expects every parameter to get a gradient).
            out = self.proj(self.v_proj(v))
            return self.proj_drop(out.expand(max(q.shape[0], v.shape[0]), q.shape[1], -1))
        heads = self.num_heads

        def split(t: Tensor) -> Tensor:
            return t.unflatten(-1, (heads, -1)).transpose(1, 2)

        out = F.scaled_dot_product_attention(
            split(self.q_proj(q)), split(self.k_proj(k)), split(self.v_proj(v)))
        return self.proj_drop(self.proj(out.transpose(1, 2).flatten(2)))


class TransformerDecoderLayer(nn.Module):
    """Pre-norm decoder layer: self-attention, cross-attention to the memory, MLP."""

    def __init__(self, dim: int, num_heads: int, dropout: float = 0.1) -> None:
        super().__init__()
        self.self_attn = Attention(dim, num_heads, proj_drop=dropout)
        self.cross_attn = Attention(dim, num_heads, proj_drop=dropout)
        self.norm1 = nn.LayerNorm(dim)
        self.norm2 = nn.LayerNorm(dim)
        self.norm3 = nn.LayerNorm(dim)
        self.dropout = nn.Dropout(dropout)
        self.mlp = nn.Sequential(
            nn.Linear(dim, dim * 4), nn.GELU(), nn.Dropout(dropout), nn.Linear(dim * 4, dim))

    def forward(self, x: Tensor, memory: Tensor) -> Tensor:
        q = self.norm1(x)
        x = x + self.self_attn(q, q, q)
        x = x + self.cross_attn(self.norm2(x), memory, memory)
        return x + self.dropout(self.mlp(self.norm3(x)))


@MODELS.register_module()
class ContextDecoder(nn.Module):
    """A small transformer decoder from ``visual_dim`` tokens to ``visual_dim`` residuals.

    ``query`` goes through ``text_proj`` and ``memory`` through ``memory_proj``
    (names kept from the original weights). TCM calls it with
    ``(dense visual tokens, text)`` as the visual prompt generator and with
    ``(text, [global; dense])`` as the text refiner.

    Args:
        transformer_width: Decoder width (256).
        transformer_heads: Attention heads (4).
        transformer_layers: Decoder layers (3 in TCM).
        visual_dim: Width of the CLIP joint embedding (1024 for RN50).
        dropout: Dropout of the projections and the MLP.
    """

    def __init__(self,
                 transformer_width: int = 256,
                 transformer_heads: int = 4,
                 transformer_layers: int = 3,
                 visual_dim: int = 1024,
                 dropout: float = 0.1) -> None:
        super().__init__()
        self.memory_proj = nn.Sequential(
            nn.LayerNorm(visual_dim), nn.Linear(visual_dim, transformer_width),
            nn.LayerNorm(transformer_width))
        self.text_proj = nn.Sequential(
            nn.LayerNorm(visual_dim), nn.Linear(visual_dim, transformer_width))
        self.decoder = nn.ModuleList(
            TransformerDecoderLayer(transformer_width, transformer_heads, dropout)
            for _ in range(transformer_layers))
        self.out_proj = nn.Sequential(
            nn.LayerNorm(transformer_width), nn.Linear(transformer_width, visual_dim))
        self.apply(init_trunc_normal)

    def forward(self, query: Tensor, memory: Tensor) -> Tensor:
        """``(B, N, visual_dim)`` queries attend ``(B, M, visual_dim)`` memory -> ``(B, N, visual_dim)``."""
        memory = self.memory_proj(memory)
        x = self.text_proj(query)
        for layer in self.decoder:
            x = layer(x, memory)
        return self.out_proj(x)
