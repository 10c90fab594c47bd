"""What tcm's CLIP towers take from open_clip, listed, so that an upgrade fails readably.

tcm subclasses open_clip's ``ModifiedResNet``, ``AttentionPool2d``, ``TextTransformer`` and
``VisionTransformer`` and reads their internals; ``requirements/stack.txt`` pins the version
these tests pass with. A failure names the missing piece and the tcm module that uses it.
"""
import inspect

import open_clip
import pytest
import torch
from open_clip.modified_resnet import AttentionPool2d, ModifiedResNet
from open_clip.tokenizer import SimpleTokenizer
from open_clip.transformer import LayerNormFp32, QuickGELU, TextTransformer, VisionTransformer


def tiny(cls):
    if cls is ModifiedResNet:
        return cls([1, 1, 1, 1], 32, 4, image_size=64, width=8)
    if cls is AttentionPool2d:
        return cls(2, 64, 4, 32)
    if cls is TextTransformer:
        return cls(
            context_length=8,
            vocab_size=16,
            width=16,
            heads=2,
            layers=1,
            output_dim=8,
            act_layer=QuickGELU,
            norm_layer=LayerNormFp32)
    return cls(
        image_size=32,
        patch_size=16,
        width=16,
        layers=1,
        heads=2,
        mlp_ratio=4.0,
        output_dim=8,
        act_layer=QuickGELU)


#: (open_clip class, constructor arguments, attributes read, the tcm module relying on them)
CONTRACT = [
    (ModifiedResNet, ('layers', 'output_dim', 'heads', 'image_size', 'width'),
     ('stem', 'layer1', 'layer2', 'layer3', 'layer4', 'attnpool', 'init_parameters',
      'output_dim'), 'tcm/models/clip/resnet.py'),
    (AttentionPool2d, ('spacial_dim', 'embed_dim', 'num_heads', 'output_dim'),
     ('positional_embedding', 'q_proj', 'k_proj', 'v_proj', 'c_proj',
      'num_heads'), 'tcm/models/clip/attention_pool.py'),
    (TextTransformer, ('context_length', 'vocab_size', 'width', 'heads', 'layers', 'output_dim',
                       'act_layer', 'norm_layer'),
     ('token_embedding', 'positional_embedding', 'transformer', 'ln_final', 'text_projection',
      'attn_mask', 'context_length', 'width'), 'tcm/models/clip/text_encoder.py'),
    (VisionTransformer, ('image_size', 'patch_size', 'width', 'layers', 'heads', 'mlp_ratio',
                         'output_dim', 'act_layer'),
     ('conv1', 'class_embedding', 'positional_embedding', 'patch_dropout', 'ln_pre', 'transformer',
      'ln_post', 'proj', 'grid_size', 'patch_size'), 'tcm/models/clip/vision_transformer.py'),
]


@pytest.mark.parametrize(
    'cls,arguments,attributes,user', CONTRACT, ids=[c[0].__name__ for c in CONTRACT])
def test_open_clip_still_offers_what_tcm_uses(cls, arguments, attributes, user):
    version = f'open_clip {open_clip.__version__}'
    params = inspect.signature(cls.__init__).parameters
    missing = [a for a in arguments if a not in params]
    assert not missing, f'{version}: {cls.__name__}() lost {missing}, which {user} passes'
    instance = tiny(cls)
    missing = [a for a in attributes if not hasattr(instance, a)]
    assert not missing, f'{version}: {cls.__name__} lost {missing}, which {user} reads'


def test_text_transformer_blocks_take_a_causal_mask_and_project_with_a_matrix():
    text = tiny(TextTransformer)
    assert isinstance(text.text_projection, torch.nn.Parameter), \
        'TextTransformer.text_projection is no longer a matrix (tcm multiplies by it)'
    assert 'attn_mask' not in text.state_dict(), 'attn_mask became a saved buffer'
    x = torch.randn(2, 8, 16)
    assert text.transformer(x, attn_mask=text.attn_mask).shape == (2, 8, 16), \
        'Transformer no longer runs (B, L, C) with attn_mask= (batch_first)'


def test_tokenizer_marks_start_and_end():
    tokenizer = SimpleTokenizer()
    assert (tokenizer.sot_token_id, tokenizer.eot_token_id) == (49406, 49407)
    assert tokenizer.encode('text') == [4160]
