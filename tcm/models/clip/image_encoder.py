"""TCM's image encoder: CLIP's modified ResNet with a dense attention pool."""
from typing import Optional, Sequence, Tuple

from mmocr.registry import MODELS
from open_clip.modified_resnet import ModifiedResNet
from torch import Tensor

from ...utils.errors import InputError
from .attention_pool import DenseAttentionPool2d
from .weights import load_clip_visual


@MODELS.register_module()
class CLIPResNetWithAttention(ModifiedResNet):
    """CLIP ModifiedResNet returning C2..C5 plus ``(global, dense)`` embeddings.

    Parameter names are CLIP's (``conv1``, ``layer1``, ``attnpool`` ...), so OpenAI
    and legacy TCM weights load without renaming.

    Args:
        layers: Bottlenecks per stage (RN50: ``(3, 4, 6, 3)``).
        output_dim: Joint embedding width (RN50: 1024).
        input_resolution: Training size; fixes the stored positional grid
            (``input_resolution / 32`` per side).
        width: Stem width (RN50: 64); the attention pool works on ``32 * width``.
        heads: Attention-pool heads (32 for RN50).
        out_indices: Which of C2..C5 to return, before ``(global, dense)``.
        pretrained: Local CLIP weights loaded by :meth:`init_weights`.
        return_embeddings: False drops the attention pool and returns the levels
            only: CLIP's ResNet as a plain MMOCR backbone (the baselines without TCM).
    """

    def __init__(self,
                 layers: Sequence[int] = (3, 4, 6, 3),
                 output_dim: int = 1024,
                 input_resolution: int = 640,
                 width: int = 64,
                 heads: int = 32,
                 out_indices: Sequence[int] = (0, 1, 2, 3),
                 pretrained: Optional[str] = None,
                 return_embeddings: bool = True) -> None:
        if input_resolution % 32:
            raise InputError(f'input_resolution={input_resolution} is not divisible by 32')
        super().__init__(list(layers), output_dim, heads, image_size=input_resolution, width=width)
        self.attnpool = (
            DenseAttentionPool2d(input_resolution // 32, width *
                                 32, heads, output_dim) if return_embeddings else None)
        self.init_parameters()
        self.input_resolution = input_resolution
        self.out_indices = tuple(out_indices)
        self.pretrained = pretrained
        self.out_channels = [width * 4 * 2**i for i in self.out_indices]

    def init_weights(self) -> None:
        """Load ``pretrained`` CLIP weights, if any (called by MMEngine's runner)."""
        if self.pretrained:
            load_clip_visual(self, self.pretrained)

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
