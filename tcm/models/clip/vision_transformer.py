"""CLIP's ViT image tower returning every projected token, at any input size."""
from typing import Dict, Optional, Tuple, Union

import torch
from mmocr.registry import MODELS
from open_clip.transformer import QuickGELU, VisionTransformer
from torch import Tensor, nn

from ...utils.errors import InputError
from .positional_embedding import resize_positional_embedding
from .presets import preset_sizes
from .weights import load_clip_weights, strip_prefix


@MODELS.register_module()
class CLIPVisionTransformer(VisionTransformer):
    """open_clip's ``VisionTransformer`` whose forward returns all tokens, projected.

    ``forward`` gives ``(B, 1 + h*w, output_dim)``: the class token first, then the patch
    tokens in raster order, each after ``ln_post`` and ``@ proj``, which is the memory
    CLIP4STR's decoders read (token 0 equals CLIP's image embedding). Inputs of other
    sizes than ``image_size`` read the positional grid bilinearly resized to their patch
    grid. Parameter names are CLIP's, so OpenAI and open_clip weights load unchanged.

    Args:
        preset: CLIP model whose sizes are used (``ViT-B-16``, ``ViT-L-14``, ``ViT-H-14``);
            the arguments below override it.
        image_size, patch_size, width, layers, heads: Tower sizes (``image_size`` may be
            ``(h, w)``; CLIP's square grid is resized to it on load).
        output_dim: Joint embedding width.
        quick_gelu: QuickGELU MLPs (OpenAI's weights) instead of GELU (default: the preset's).
        pretrained: Local CLIP weights loaded by :meth:`init_weights`.
    """

    clip_part, clip_keys = 'image encoder', 'keys visual.*'

    def __init__(self,
                 preset: str = 'ViT-B-16',
                 image_size: Optional[Union[int, Tuple[int, int]]] = None,
                 patch_size: Optional[int] = None,
                 width: Optional[int] = None,
                 layers: Optional[int] = None,
                 heads: Optional[int] = None,
                 output_dim: Optional[int] = None,
                 quick_gelu: Optional[bool] = None,
                 pretrained: Optional[str] = None) -> None:
        sizes = preset_sizes(
            preset,
            'vision',
            image_size=image_size,
            patch_size=patch_size,
            width=width,
            layers=layers,
            heads=heads,
            embed_dim=output_dim,
            quick_gelu=quick_gelu)
        if 'patch_size' not in sizes:
            raise InputError(f'CLIP preset {preset!r} is a ResNet; use CLIPResNetWithAttention')
        super().__init__(
            image_size=sizes['image_size'],
            patch_size=sizes['patch_size'],
            width=sizes['width'],
            layers=sizes['layers'],
            heads=sizes['heads'],
            mlp_ratio=4.0,
            output_dim=sizes['embed_dim'],
            act_layer=QuickGELU if sizes['quick_gelu'] else nn.GELU)
        self.pretrained = pretrained

    def clip_state_dict(self, state: Dict[str, Tensor]) -> Dict[str, Tensor]:
        """This tower's part of a CLIP state dict: ``visual.*``, the positional grid resized to
        ``image_size / patch_size``."""
        weights = strip_prefix(state, 'visual.')
        if 'positional_embedding' in weights:
            weights['positional_embedding'] = resize_positional_embedding(
                weights['positional_embedding'], self.grid_size)
        return weights

    def init_weights(self) -> None:
        """Load ``pretrained`` CLIP weights, if any (called by MMEngine's runner)."""
        if self.pretrained:
            load_clip_weights(self, self.pretrained)

    def forward(self, x: Tensor) -> Tensor:
        """``(B, 3, H, W)`` images, H and W multiples of the patch size -> ``(B, 1 + hw, D)``."""
        ph, pw = self.patch_size
        if x.shape[-2] % ph or x.shape[-1] % pw:
            raise InputError(f'input size {x.shape[-2]}x{x.shape[-1]} is not a multiple of the '
                             f'{ph}x{pw} patch')
        x = self.conv1(x)  # B, width, h, w
        grid = tuple(x.shape[-2:])
        x = x.flatten(2).transpose(1, 2)
        cls = self.class_embedding.to(x.dtype).expand(x.shape[0], 1, -1)
        pos = resize_positional_embedding(self.positional_embedding, grid, tuple(self.grid_size))
        x = torch.cat([cls, x], dim=1) + pos.to(x.dtype)
        x = self.ln_pre(self.patch_dropout(x))
        x = self.ln_post(self.transformer(x))
        return x @ self.proj
