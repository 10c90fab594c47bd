"""CLIP's modified ResNet as an MMOCR backbone, with the dense attention pool TCM reads."""
from typing import Dict, Optional, Sequence, Tuple

from mmocr.registry import MODELS
from open_clip.modified_resnet import ModifiedResNet
from torch import Tensor

from ...utils.errors import InputError
from .attention_pool import DenseAttentionPool2d
from .positional_embedding import resize_positional_embedding
from .presets import preset_sizes
from .weights import load_clip_weights, strip_prefix


@MODELS.register_module()
class CLIPResNetWithAttention(ModifiedResNet):
    """CLIP ModifiedResNet returning C2..C5 plus ``(global, dense)`` embeddings.

    Parameter names are CLIP's (``conv1``, ``layer1``, ``attnpool`` ...), so OpenAI
    and legacy TCM weights load without renaming.

    Args:
        preset: CLIP model whose sizes are used (``RN50``, ``RN101``, ``RN50x4``; see
            ``tcm.models.clip.presets``); the size arguments below override it.
        layers: Bottlenecks per stage (RN50: ``(3, 4, 6, 3)``).
        width: Stem width (RN50: 64); the attention pool works on ``32 * width``.
        heads: Attention-pool heads (``width / 2``: 32 for RN50).
        output_dim: Joint embedding width (RN50: 1024).
        input_resolution: Training size (default: the preset's); fixes the stored
            positional grid (``input_resolution / 32`` per side).
        out_indices: Which of C2..C5 to return, before ``(global, dense)``.
        pretrained: Local CLIP weights loaded by :meth:`init_weights`.
        return_embeddings: False drops the attention pool and returns the levels
            only: CLIP's ResNet as a plain MMOCR backbone (the baselines without TCM).
    """

    clip_part, clip_keys = 'image encoder', 'keys visual.*'

    def __init__(self,
                 preset: str = 'RN50',
                 layers: Optional[Sequence[int]] = None,
                 width: Optional[int] = None,
                 heads: Optional[int] = None,
                 output_dim: Optional[int] = None,
                 input_resolution: Optional[int] = None,
                 out_indices: Sequence[int] = (0, 1, 2, 3),
                 pretrained: Optional[str] = None,
                 return_embeddings: bool = True) -> None:
        sizes = preset_sizes(
            preset,
            'vision',
            layers=layers,
            width=width,
            heads=heads,
            embed_dim=output_dim,
            image_size=input_resolution)
        if 'patch_size' in sizes:
            raise InputError(f'CLIP preset {preset!r} is a ViT; use CLIPVisionTransformer')
        size, width, heads = sizes['image_size'], sizes['width'], sizes['heads']
        if size % 32:
            raise InputError(f'input_resolution={size} is not divisible by 32')
        super().__init__(list(sizes['layers']), sizes['embed_dim'], heads, size, width)
        self.attnpool = DenseAttentionPool2d(size // 32, width * 32, heads,
                                             sizes['embed_dim']) if return_embeddings else None
        self.init_parameters()
        self.input_resolution = size
        self.out_indices = tuple(out_indices)
        self.pretrained = pretrained
        self.out_channels = [width * 4 * 2**i for i in self.out_indices]

    def clip_state_dict(self, state: Dict[str, Tensor]) -> Dict[str, Tensor]:
        """This tower's part of a CLIP state dict: ``visual.*``, the positional grid resized
        to ``input_resolution / 32`` (CLIP's is 7x7 for 224 px), the pool dropped if unused."""
        weights = strip_prefix(state, 'visual.')
        if self.attnpool is None:
            return {k: v for k, v in weights.items() if not k.startswith('attnpool.')}
        key = 'attnpool.positional_embedding'
        if key in weights:
            side = self.input_resolution // 32
            weights[key] = resize_positional_embedding(weights[key], (side, side))
        return weights

    def init_weights(self) -> None:
        """Load ``pretrained`` CLIP weights, if any (called by MMEngine's runner)."""
        if self.pretrained:
            load_clip_weights(self, self.pretrained)

    def forward(self, x: Tensor) -> Tuple:
        """Return ``(*levels at out_indices, (global (B, D), dense (B, D, H/32, W/32)))``."""
        h, w = x.shape[-2:]
        if h % 32 or w % 32:
            raise InputError(f'input size {h}x{w} is not divisible by 32; pad it '
                             '(pad_size_divisor=32 in the data_preprocessor)')
        x = self.stem(x)
        levels = []
        for layer in (self.layer1, self.layer2, self.layer3, self.layer4):
            x = layer(x)
            levels.append(x)
        outputs = tuple(levels[i] for i in self.out_indices)
        return outputs if self.attnpool is None else outputs + (self.attnpool(x), )
