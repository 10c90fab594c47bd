"""Language prompt generator: turns an image's global embedding into a text-token shift."""
from mmocr.registry import MODELS
from torch import Tensor, nn

from .weight_init import init_trunc_normal


@MODELS.register_module()
class PromptGenerator(nn.Module):
    """MLP ``LN -> Linear -> ReLU -> LN -> Linear`` from ``visual_dim`` to ``token_embed_dim``.

    Its output is added to every token of the text prompt, which conditions the
    text embedding on the image (paper Sec. 3.2).
    """

    def __init__(self, visual_dim: int = 1024, token_embed_dim: int = 512) -> None:
        super().__init__()
        self.prompt_proj = nn.Sequential(
            nn.LayerNorm(visual_dim), nn.Linear(visual_dim, visual_dim), nn.ReLU(),
            nn.LayerNorm(visual_dim), nn.Linear(visual_dim, token_embed_dim))
        self.apply(init_trunc_normal)

    def forward(self, global_embedding: Tensor) -> Tensor:
        """``(B, visual_dim)`` -> ``(B, token_embed_dim)``."""
        return self.prompt_proj(global_embedding)
