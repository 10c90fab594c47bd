"""TCM's prompt assembly on CLIP's text tower: learnable context tokens and a per-image shift."""
from typing import Optional

import torch
from mmocr.registry import MODELS
from torch import Tensor

from ...utils.errors import InputError
from ..clip import CLIPTextEncoder


@MODELS.register_module()
class CLIPTextContextEncoder(CLIPTextEncoder):
    """CLIP's text tower run on TCM's prompt sequence.

    The sequence is ``[SOT, c_1..c_N, prompt tokens.., EOT, pad..]``: the N learnable context
    tokens go after SOT, the language prompt (one vector per image) is added to every token
    before the positional embedding, and the output is read at EOT. The weights are those of
    :class:`~tcm.models.clip.CLIPTextEncoder` (state-dict keys unchanged); ``TCMDetector``
    sets ``context_length`` to the prompt's token budget plus N.
    """

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
        sot, rest = tokens[:, :1].expand(b, k, 1, c), tokens[:, 1:].expand(b, k, length - 1, c)
        x = torch.cat([sot, contexts[:, None].expand(b, k, n, c), rest], dim=2)  # B, K, L+N, C
        if shift is not None:
            x = x + shift[:, None, None, :]
        eot = (token_ids.argmax(dim=-1) + n).repeat(b)  # B*K
        return self.encode_embeddings(x.flatten(0, 1), eot).unflatten(0, (b, k))
