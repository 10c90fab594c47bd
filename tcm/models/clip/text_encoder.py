"""CLIP's text tower: token ids in, the EOT embedding or every token out, projected."""
from typing import Dict, Optional, Union

import torch
from mmocr.registry import MODELS
from open_clip.transformer import LayerNormFp32, QuickGELU, TextTransformer
from torch import Tensor, nn

from ...utils.errors import InputError
from .presets import preset_sizes
from .weights import load_clip_weights

TEXT_KEYS = ('transformer.', 'token_embedding.', 'ln_final.', 'positional_embedding',
             'text_projection')


@MODELS.register_module()
class CLIPTextEncoder(TextTransformer):
    """open_clip's ``TextTransformer`` (causal, EOT = largest token id) as a reusable tower.

    ``forward(ids)`` gives the projected embedding at EOT, as CLIP's ``encode_text``;
    ``forward(ids, pool=False)`` every token's (CLIP4STR's cross-modal memory). Sequences may
    be shorter than ``context_length``: they read the first positions and the matching causal
    mask. :meth:`encode_embeddings` takes token embeddings instead of ids, for models that
    build part of the sequence themselves (TCM's learnable context). Parameter names are CLIP's.

    Args:
        preset: CLIP model whose text sizes are used (``tcm.models.clip.presets``).
        context_length: Positions kept (CLIP: 77); weights with more are truncated on load.
        vocab_size, width, heads, layers: Tower sizes.
        embed_dim: Joint embedding width (``text_projection``'s output).
        quick_gelu: QuickGELU MLPs (OpenAI's weights) instead of GELU (default: the preset's).
        pretrained: Local CLIP weights loaded by :meth:`init_weights`.
        frozen: Stop gradients to the tower's weights (True), or to the token and positional
            embeddings and the first ``frozen`` blocks (a number; CLIP4STR freezes 6 of 12);
            gradients still flow through it.
    """

    clip_part, clip_keys = 'text encoder', 'transformer.*, token_embedding.*'

    def __init__(self,
                 preset: str = 'RN50',
                 context_length: Optional[int] = None,
                 vocab_size: Optional[int] = None,
                 width: Optional[int] = None,
                 heads: Optional[int] = None,
                 layers: Optional[int] = None,
                 embed_dim: Optional[int] = None,
                 quick_gelu: Optional[bool] = None,
                 pretrained: Optional[str] = None,
                 frozen: Union[bool, int] = False) -> None:
        sizes = preset_sizes(
            preset,
            'text',
            context_length=context_length,
            vocab_size=vocab_size,
            width=width,
            heads=heads,
            layers=layers,
            embed_dim=embed_dim,
            quick_gelu=quick_gelu)
        super().__init__(
            context_length=sizes['context_length'],
            vocab_size=sizes['vocab_size'],
            width=sizes['width'],
            heads=sizes['heads'],
            layers=sizes['layers'],
            output_dim=sizes['embed_dim'],
            act_layer=QuickGELU if sizes['quick_gelu'] else nn.GELU,
            norm_layer=LayerNormFp32)
        self.embed_dim = sizes['embed_dim']
        self.pretrained = pretrained
        self.frozen = frozen
        if frozen is True:
            self.requires_grad_(False)
        elif frozen:
            for part in (self.token_embedding, self.positional_embedding,
                         *self.transformer.resblocks[:frozen]):
                part.requires_grad_(False)

    def clip_state_dict(self, state: Dict[str, Tensor]) -> Dict[str, Tensor]:
        """This tower's part of a CLIP state dict, the positions truncated to ``context_length``."""
        weights = {k: v for k, v in state.items() if k.startswith(TEXT_KEYS)}
        pos = weights.get('positional_embedding')
        if pos is not None:
            if pos.shape[0] < self.context_length:
                raise InputError(f'CLIP text context holds {pos.shape[0]} tokens, fewer than the '
                                 f'{self.context_length} of the text encoder')
            weights['positional_embedding'] = pos[:self.context_length]
        return weights

    def init_weights(self) -> None:
        """Load ``pretrained`` CLIP weights, if any (called by MMEngine's runner)."""
        if self.pretrained:
            load_clip_weights(self, self.pretrained)

    def forward(self, token_ids: Tensor, pool: bool = True) -> Tensor:
        """``(B, L)`` ids -> ``(B, embed_dim)`` at EOT; every token's ``(B, L, embed_dim)`` with
        ``pool=False``."""
        eot = token_ids.argmax(dim=-1) if pool else None
        return self.encode_embeddings(self.token_embedding(token_ids), eot)

    def encode_embeddings(self, x: Tensor, eot: Optional[Tensor] = None) -> Tensor:
        """Run the tower on ``(B, L, width)`` token embeddings (no positions yet).

        ``eot`` (``(B,)`` positions) selects one output per sequence; None keeps all.
        """
        length = x.shape[1]
        if length > self.context_length:
            raise InputError(f'{length} tokens exceed the text encoder context_length '
                             f'{self.context_length}')
        x = x + self.positional_embedding[:length]
        x = self.ln_final(self.transformer(x, attn_mask=self.attn_mask[:length, :length]))
        if eot is not None:
            x = x[torch.arange(x.shape[0], device=x.device), eot]
        return x @ self.text_projection
