"""CLIP model sizes, written once: a tower names a preset and overrides only what it means to.

Sizes are open_clip's model configs (``model_configs/<name>.json``). ``quick_gelu`` is the
activation the released weights were trained with: OpenAI's CLIP used QuickGELU, while
open_clip's LAION ViT-H-14 uses GELU (open_clip names the OpenAI variants ``*-quickgelu``).
"""
from typing import Any, Dict, Optional

from ...utils.errors import InputError

TEXT_77 = dict(context_length=77, vocab_size=49408)

PRESETS: Dict[str, Dict[str, Any]] = {
    'RN50':
    dict(
        embed_dim=1024,
        quick_gelu=True,
        vision=dict(layers=(3, 4, 6, 3), width=64, image_size=224),
        text=dict(TEXT_77, width=512, heads=8, layers=12)),
    'RN101':
    dict(
        embed_dim=512,
        quick_gelu=True,
        vision=dict(layers=(3, 4, 23, 3), width=64, image_size=224),
        text=dict(TEXT_77, width=512, heads=8, layers=12)),
    'RN50x4':
    dict(
        embed_dim=640,
        quick_gelu=True,
        vision=dict(layers=(4, 6, 10, 6), width=80, image_size=288),
        text=dict(TEXT_77, width=640, heads=10, layers=12)),
    'ViT-B-16':
    dict(
        embed_dim=512,
        quick_gelu=True,
        vision=dict(layers=12, width=768, patch_size=16, image_size=224),
        text=dict(TEXT_77, width=512, heads=8, layers=12)),
    'ViT-L-14':
    dict(
        embed_dim=768,
        quick_gelu=True,
        vision=dict(layers=24, width=1024, patch_size=14, image_size=224),
        text=dict(TEXT_77, width=768, heads=12, layers=12)),
    'ViT-H-14':
    dict(
        embed_dim=1024,
        quick_gelu=False,
        vision=dict(layers=32, width=1280, head_width=80, patch_size=14, image_size=224),
        text=dict(TEXT_77, width=1024, heads=16, layers=24)),
}


def preset_sizes(name: str, tower: str, **overrides: Optional[Any]) -> Dict[str, Any]:
    """The ``tower`` (``'vision'`` or ``'text'``) sizes of preset ``name`` with ``overrides``
    applied (None keeps the preset's value), plus ``embed_dim`` and ``quick_gelu``.

    Attention heads follow open_clip's rules where the preset leaves them out: a ResNet's
    attention pool has ``width * 32 / 64`` heads, a ViT ``width / head_width`` (64 unless set).
    """
    if name not in PRESETS:
        raise InputError(f'unknown CLIP preset {name!r}; known: {", ".join(PRESETS)}')
    preset = PRESETS[name]
    sizes = dict(preset[tower], embed_dim=preset['embed_dim'], quick_gelu=preset['quick_gelu'])
    sizes.update({key: value for key, value in overrides.items() if value is not None})
    if tower == 'vision' and 'heads' not in sizes:
        is_vit = 'patch_size' in sizes
        sizes['heads'] = sizes['width'] // sizes.get('head_width', 64) if is_vit else \
            sizes['width'] * 32 // 64
        if sizes['heads'] < 1:
            raise InputError(f'a {name} tower {sizes["width"]} wide has no whole attention head '
                             'of the preset\'s width; give heads')
    return sizes
