"""TCM's text encoder: CLIP's text transformer fed with learnable context and a per-image shift."""
from typing import Optional

import torch
from mmocr.registry import MODELS
from open_clip.transformer import LayerNormFp32, QuickGELU, TextTransformer
from torch import Tensor

from ...utils.errors import InputError
from .weights import load_clip_text


@MODELS.register_module()
class CLIPTextContextEncoder(TextTransformer):
    """open_clip's ``TextTransformer`` whose input sequence is built by TCM.

    The sequence is ``[SOT, c_1..c_N, prompt tokens.., EOT, pad..]``; the language
    prompt (one vector per image) is added to every token before the positional
    embedding, and the output is read at EOT. Parameter names are CLIP's.

    Args:
        context_length: Prompt token budget plus the N learnable tokens (18 for
            the 14-token TCM sentence and 4 learnable tokens).
        vocab_size, width, heads, layers: CLIP text-tower size (RN50: 49408, 512, 8, 12).
        embed_dim: Joint embedding width (RN50: 1024).
        pretrained: Local CLIP weights loaded by :meth:`init_weights`.
        frozen: Stop gradients to the tower's own weights (TCM trains it with lr 0);
            gradients still reach the learnable context and the language prompt.
    """

    def __init__(self,
                 context_length: int = 18,
                 vocab_size: int = 49408,
                 width: int = 512,
                 heads: int = 8,
                 layers: int = 12,
                 embed_dim: int = 1024,
                 pretrained: Optional[str] = None,
                 frozen: bool = False) -> None:
        super().__init__(
            context_length=context_length,
            vocab_size=vocab_size,
            width=width,
            heads=heads,
            layers=layers,
            output_dim=embed_dim,
            act_layer=QuickGELU,
            norm_layer=LayerNormFp32)
        self.embed_dim = embed_dim
        self.pretrained = pretrained
        self.frozen = frozen
        if frozen:
            self.requires_grad_(False)

    def init_weights(self) -> None:
        """Load ``pretrained`` CLIP weights, if any (called by MMEngine's runner)."""
        if self.pretrained:
            load_clip_text(self, self.pretrained)

    def forward(self,
                token_ids: Tensor,
                contexts: Tensor,
                shift: Optional[Tensor] = None) -> Tensor:
        """Encode K prompts for every image.

        Args:
            token_ids: ``(K, L)`` tokenized prompts (SOT first, EOT = largest id).
            contexts: ``(1, N, width)`` learnable context tokens, inserted after SOT.
            shift: ``(B, width)`` language prompt of each image, or None (B = 1).

        Returns:
            ``(B, K, embed_dim)`` text embeddings.
        """
        k, length = token_ids.shape
        n = contexts.shape[1]
        if length + n != self.context_length:
            raise InputError(f'{length} prompt tokens + {n} learnable tokens != text encoder '
                             f'context_length {self.context_length}')
        b = 1 if shift is None else shift.shape[0]
        tokens = self.token_embedding(token_ids)  # K, L, C
        c = tokens.shape[-1]
        x = torch.cat([
            tokens[:, :1].expand(b, k, 1, c), contexts[:, None].expand(b, k, n, c),
            tokens[:, 1:].expand(b, k, length - 1, c)
        ],
                      dim=2)  # B, K, L+N, C
        if shift is not None:
            x = x + shift[:, None, None, :]
        x = x.flatten(0, 1) + self.positional_embedding
        x = self.ln_final(self.transformer(x, attn_mask=self.attn_mask))
        eot = token_ids.argmax(dim=-1) + n  # K
        x = x.unflatten(0, (b, k))[:, torch.arange(k, device=x.device), eot]
        return x @ self.text_projection
