"""CLIP presets: sizes written once, overridden only where a config means to."""
import pytest
from mmocr.registry import MODELS
from open_clip.transformer import QuickGELU

from tcm.models.clip import PRESETS, preset_sizes


@pytest.mark.parametrize('name', ['RN50', 'RN101', 'RN50x4', 'ViT-B-16', 'ViT-L-14', 'ViT-H-14'])
def test_presets_match_open_clip_model_configs(name):
    """The sizes are open_clip's own model configs, heads derived by its rules."""
    from open_clip.factory import get_model_config
    config = get_model_config(name)
    vision = preset_sizes(name, 'vision')
    text = preset_sizes(name, 'text')
    assert vision['embed_dim'] == text['embed_dim'] == config['embed_dim']
    for key, value in config['vision_cfg'].items():
        if key in vision and value is not None:
            assert tuple(vision[key]) == tuple(value) if isinstance(value, list) else \
                vision[key] == value, key
    assert {k: text[k] for k in config['text_cfg']} == config['text_cfg']
    assert vision['heads'] == (
        vision['width'] //
        config['vision_cfg'].get('head_width', 64) if 'patch_size' in vision else vision['width'] //
        2)


def test_openai_weights_need_quick_gelu():
    assert all(PRESETS[name]['quick_gelu'] for name in PRESETS if name != 'ViT-H-14')
    assert not PRESETS['ViT-H-14']['quick_gelu']  # LAION's open_clip weights use GELU


def test_towers_take_a_preset_and_override_only_what_is_given():
    rn101 = MODELS.build(dict(type='CLIPResNetWithAttention', preset='RN101', input_resolution=64))
    assert len(rn101.layer3) == 23 and rn101.output_dim == 512
    assert rn101.attnpool.num_heads == 32 and rn101.input_resolution == 64
    text = MODELS.build(dict(type='CLIPTextEncoder', preset='ViT-L-14', layers=1))
    assert text.width == 768 and text.embed_dim == 768 and len(text.transformer.resblocks) == 1
    assert isinstance(text.transformer.resblocks[0].mlp.gelu, QuickGELU)
    vit = MODELS.build(dict(type='CLIPVisionTransformer', preset='ViT-B-16', layers=1))
    assert vit.patch_size == (16, 16) and vit.proj.shape == (768, 512)


def test_unknown_or_mismatched_presets_are_one_line():
    with pytest.raises(ValueError, match="unknown CLIP preset 'RN51'; known: RN50, RN101"):
        preset_sizes('RN51', 'vision')
    with pytest.raises(ValueError, match='is a ViT; use CLIPVisionTransformer'):
        MODELS.build(dict(type='CLIPResNetWithAttention', preset='ViT-B-16'))
    with pytest.raises(ValueError, match='is a ResNet; use CLIPResNetWithAttention'):
        MODELS.build(dict(type='CLIPVisionTransformer', preset='RN50'))
