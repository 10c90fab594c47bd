"""PARSeq's decoder, as CLIP4STR uses it twice: two-stream (XLNet) attention over a memory.

Module names follow the released CLIP4STR checkpoints (``layers.0.self_attn``, ``norm_q``,
``text_embed.embedding``, ``pos_queries``, ``head`` ...), so they load after a prefix rename.
"""
import math
from typing import Optional, Tuple

import torch
import torch.nn.functional as F
from mmocr.registry import MODELS
from torch import Tensor, nn


class TwoStreamDecoderLayer(nn.Module):
    """A pre-LN decoder layer with a query stream and a content stream (PARSeq's, XLNet style).

    Each stream attends the (normalised) content with its own mask, then the memory, then
    runs an MLP, each step a residual. The content stream is updated only between layers.
    """

    def __init__(self, dim: int, heads: int, mlp_ratio: int = 4, dropout: float = 0.1) -> None:
        super().__init__()
        self.self_attn = nn.MultiheadAttention(dim, heads, dropout=dropout, batch_first=True)
        self.cross_attn = nn.MultiheadAttention(dim, heads, dropout=dropout, batch_first=True)
        self.linear1 = nn.Linear(dim, dim * mlp_ratio)
        self.dropout = nn.Dropout(dropout)
        self.linear2 = nn.Linear(dim * mlp_ratio, dim)
        self.norm1 = nn.LayerNorm(dim)
        self.norm2 = nn.LayerNorm(dim)
        self.norm_q = nn.LayerNorm(dim)
        self.norm_c = nn.LayerNorm(dim)
        self.dropout1 = nn.Dropout(dropout)
        self.dropout2 = nn.Dropout(dropout)
        self.dropout3 = nn.Dropout(dropout)

    def _stream(self, x: Tensor, x_norm: Tensor, context: Tensor, memory: Tensor,
                mask: Optional[Tensor], padding_mask: Optional[Tensor]) -> Tensor:
        x = x + self.dropout1(
            self.self_attn(
                x_norm,
                context,
                context,
                attn_mask=mask,
                key_padding_mask=padding_mask,
                need_weights=False)[0])
        x = x + self.dropout2(self.cross_attn(self.norm1(x), memory, memory, need_weights=False)[0])
        return x + self.dropout3(self.linear2(self.dropout(F.gelu(self.linear1(self.norm2(x))))))

    def forward(self,
                query: Tensor,
                content: Tensor,
                memory: Tensor,
                query_mask: Optional[Tensor] = None,
                content_mask: Optional[Tensor] = None,
                padding_mask: Optional[Tensor] = None,
                update_content: bool = True) -> Tuple[Tensor, Tensor]:
        query_norm, content_norm = self.norm_q(query), self.norm_c(content)
        query = self._stream(query, query_norm, content_norm, memory, query_mask, padding_mask)
        if update_content:
            content = self._stream(content, content_norm, content_norm, memory, content_mask,
                                   padding_mask)
        return query, content


class TokenEmbedding(nn.Module):
    """Token embeddings scaled by ``sqrt(dim)``."""

    def __init__(self, num_tokens: int, dim: int) -> None:
        super().__init__()
        self.embedding = nn.Embedding(num_tokens, dim)
        self.scale = math.sqrt(dim)

    def forward(self, tokens: Tensor) -> Tensor:
        return self.scale * self.embedding(tokens)


@MODELS.register_module()
class PARSeqDecoder(nn.Module):
    """Position queries read a token context and a memory: ``(B, Lq, num_classes)`` logits.

    The context is ``[BOS, t_1, .., t_n]``: BOS embeds the null context, token ``t_k`` gets
    position query ``k - 1`` added. Queries default to the first positions.

    Args:
        dim: Width (CLIP4STR: the CLIP joint width, 512 for ViT-B/16).
        num_tokens: Rows of the token embedding (characters plus BOS, EOS and padding).
        num_classes: Outputs of the head (characters plus EOS).
        max_length: Position queries: the longest label plus one for EOS.
        heads, layers, mlp_ratio, dropout: Decoder sizes (CLIP4STR: 8, 1, 4, 0.1).
    """

    def __init__(self,
                 dim: int,
                 num_tokens: int,
                 num_classes: int,
                 max_length: int = 26,
                 heads: int = 8,
                 layers: int = 1,
                 mlp_ratio: int = 4,
                 dropout: float = 0.1) -> None:
        super().__init__()
        self.layers = nn.ModuleList(
            TwoStreamDecoderLayer(dim, heads, mlp_ratio, dropout) for _ in range(layers))
        self.text_embed = TokenEmbedding(num_tokens, dim)
        self.pos_queries = nn.Parameter(torch.empty(1, max_length, dim))
        self.norm = nn.LayerNorm(dim)
        self.dropout = nn.Dropout(dropout)
        self.head = nn.Linear(dim, num_classes)
        self.apply(self._init)
        nn.init.trunc_normal_(self.pos_queries, std=.02)

    @staticmethod
    def _init(module: nn.Module) -> None:
        """PARSeq's: truncated-normal (0.02) linear and embedding weights, zero biases."""
        if isinstance(module, (nn.Linear, nn.Embedding)):
            nn.init.trunc_normal_(module.weight, std=.02)
            if getattr(module, 'bias', None) is not None:
                nn.init.zeros_(module.bias)
        elif isinstance(module, nn.LayerNorm):
            nn.init.ones_(module.weight)
            nn.init.zeros_(module.bias)

    def forward(self,
                tokens: Tensor,
                memory: Tensor,
                queries: Optional[Tensor] = None,
                query_mask: Optional[Tensor] = None,
                content_mask: Optional[Tensor] = None,
                padding_mask: Optional[Tensor] = None) -> Tensor:
        """``(B, L)`` context tokens and ``(B, M, dim)`` memory -> ``(B, Lq, num_classes)``."""
        b, length = tokens.shape
        content = torch.cat([
            self.text_embed(tokens[:, :1]),
            self.pos_queries[:, :length - 1] + self.text_embed(tokens[:, 1:])
        ],
                            dim=1)
        content = self.dropout(content)
        if queries is None:
            queries = self.pos_queries[:, :length].expand(b, -1, -1)
        query = self.dropout(queries)
        for i, layer in enumerate(self.layers):
            query, content = layer(
                query,
                content,
                memory,
                query_mask,
                content_mask,
                padding_mask,
                update_content=i < len(self.layers) - 1)
        return self.head(self.norm(query))
