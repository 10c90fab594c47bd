"""The two CLIP towers TCM builds on, and CLIP weight loading."""
from .attention_pool import DenseAttentionPool2d, resize_positional_embedding
from .image_encoder import CLIPResNetWithAttention
from .text_encoder import CLIPTextContextEncoder
from .tokenizer import tokenize_prompts
from .weights import load_clip_state_dict, load_clip_text, load_clip_visual

__all__ = [
    'CLIPResNetWithAttention', 'CLIPTextContextEncoder', 'DenseAttentionPool2d',
    'load_clip_state_dict', 'load_clip_text', 'load_clip_visual', 'resize_positional_embedding',
    'tokenize_prompts'
]
