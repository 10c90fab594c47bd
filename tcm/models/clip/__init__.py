"""The task-neutral CLIP core that TCM, CLIP4STR and oCLIP share.

Image towers (:class:`CLIPResNetWithAttention`, :class:`CLIPVisionTransformer`), the plain text
tower (:class:`CLIPTextEncoder`), size presets written once (:data:`PRESETS`), and weight
loading from local files as source adapters plus per-tower filters (:mod:`.weights`).
"""
from .attention_pool import DenseAttentionPool2d
from .positional_embedding import resize_positional_embedding
from .presets import PRESETS, preset_sizes
from .resnet import CLIPResNetWithAttention
from .text_encoder import CLIPTextEncoder
from .tokenizer import tokenize_prompts
from .vision_transformer import CLIPVisionTransformer
from .weights import (LAYOUT_ADAPTERS, from_mmocr_clip_resnet, load_checked, load_clip_weights,
                      read_clip_state_dict)

__all__ = [
    'CLIPResNetWithAttention', 'CLIPTextEncoder', 'CLIPVisionTransformer', 'DenseAttentionPool2d',
    'LAYOUT_ADAPTERS', 'PRESETS', 'from_mmocr_clip_resnet', 'load_checked', 'load_clip_weights',
    'preset_sizes', 'read_clip_state_dict', 'resize_positional_embedding', 'tokenize_prompts'
]
