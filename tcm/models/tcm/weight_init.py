"""The initialisation TCM's own (non-CLIP) transformer parts use."""
from torch import nn


def init_trunc_normal(module: nn.Module) -> None:
    """Truncated-normal (std 0.02) linear weights and zero biases; LayerNorm 1 / 0."""
    if isinstance(module, nn.Linear):
        nn.init.trunc_normal_(module.weight, std=0.02)
        if module.bias is not None:
            nn.init.zeros_(module.bias)
    elif isinstance(module, nn.LayerNorm):
        nn.init.ones_(module.weight)
        nn.init.zeros_(module.bias)
