"""oCLIP's visual-textual decoder: each word's embedding reads the image to name its masked
character."""
from collections import OrderedDict
from typing import Optional, Tuple

import torch
from mmocr.registry import MODELS
from open_clip.transformer import LayerNormFp32, QuickGELU
from torch import Tensor, nn


class CrossAttentionBlock(nn.Module):
    """The original's block, in its order: ``q + LN(attn(q, k, v))``, then ``q + MLP(LN(q))``
    (the first norm is on the attention's output; words do not attend to each other)."""

    def __init__(self, width: int, heads: int) -> None:
        super().__init__()
        self.attn = nn.MultiheadAttention(width, heads, batch_first=True)
        self.ln_1 = LayerNormFp32(width)
        self.mlp = nn.Sequential(
            OrderedDict([('c_fc', nn.Linear(width, width * 4)), ('gelu', QuickGELU()),
                         ('c_proj', nn.Linear(width * 4, width))]))
        self.ln_2 = LayerNormFp32(width)

    def forward(self, q: Tensor, k: Tensor, v: Tensor,
                padding: Optional[Tensor]) -> Tuple[Tensor, Tensor]:
        out, weights = self.attn(q, k, v, key_padding_mask=padding)  # weights: head average
        q = q + self.ln_1(out)
        return q + self.mlp(self.ln_2(q)), weights


@MODELS.register_module()
class VisualTextualDecoder(nn.Module):
    """Word embeddings ``(B, W, D)`` query the dense image tokens ``(B, hw, D)`` (keys with
    the learned ``image_pos``, values without) through ``layers`` blocks; a final norm and
    ``text_class`` give each word's character logits.

    Args:
        width: The joint width (the image tokens' and the word embeddings').
        num_classes: Character ids (the tokenizer's vocabulary).
        grid_size: Image tokens (``(resolution / 32) ** 2``: 256 at 512 px).
        layers, heads: 6 and 8 in the released models.
        init_width, init_layers: The widths and depth in the init stds: the original draws
            the decoder's weights with the *text* tower's (64 wide, 6 layers).
    """

    def __init__(self,
                 width: int,
                 num_classes: int,
                 grid_size: int = 256,
                 layers: int = 6,
                 heads: int = 8,
                 init_width: int = 64,
                 init_layers: int = 6) -> None:
        super().__init__()
        self.resblocks = nn.ModuleList(CrossAttentionBlock(width, heads) for _ in range(layers))
        self.image_pos = nn.Parameter(torch.randn(grid_size, width) / width**0.5)
        self.ln_final = LayerNormFp32(width)
        self.text_class = nn.Linear(width, num_classes)
        attn_std, fc_std = init_width**-0.5, (2 * init_width)**-0.5
        proj_std = attn_std * (2 * init_layers)**-0.5
        for block in self.resblocks:
            nn.init.normal_(block.attn.in_proj_weight, std=attn_std)
            nn.init.normal_(block.attn.out_proj.weight, std=proj_std)
            nn.init.normal_(block.mlp.c_fc.weight, std=fc_std)
            nn.init.normal_(block.mlp.c_proj.weight, std=proj_std)
        nn.init.normal_(self.text_class.weight, std=attn_std)

    def forward(self,
                words: Tensor,
                image_tokens: Tensor,
                image_mask: Optional[Tensor] = None) -> Tuple[Tensor, Tensor]:
        """``(logits (B, W, num_classes), last block's attention (B, W, hw))``;
        ``image_mask`` ``(B, hw)`` is True on padded cells."""
        keys = image_tokens + self.image_pos.to(image_tokens.dtype)
        q, weights = words, None
        for block in self.resblocks:
            q, weights = block(q, keys, image_tokens, image_mask)
        return self.text_class(self.ln_final(q)), weights
