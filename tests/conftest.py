"""Test set-up: tcm's modules registered, MMOCR's default scope, shared fixtures.

Tests mirror the package: ``tests/unit/<package part>/`` run in-process in seconds;
``tests/integration/`` drives the tools, ``mim`` and multi-process runs as a user would and is
marked ``slow`` (``bash tools/run_tests.sh -m "not slow"`` for the inner loop).
"""
import pytest
import torch
from mmocr.utils import register_all_modules

import tcm  # noqa: F401  (registers tcm's modules)

register_all_modules(init_default_scope=True)


def tiny_open_clip(quick_gelu: bool = True, vit: bool = False):
    """A tiny open_clip CLIP (RN or ViT image tower) with every weight random, BN included."""
    from open_clip.model import CLIP, CLIPTextCfg, CLIPVisionCfg
    torch.manual_seed(0)
    vision = CLIPVisionCfg(layers=2, width=32, head_width=16, patch_size=16, image_size=64) if vit \
        else CLIPVisionCfg(layers=(1, 1, 1, 1), width=8, image_size=64, head_width=8)
    model = CLIP(
        embed_dim=32,
        vision_cfg=vision,
        text_cfg=CLIPTextCfg(context_length=77, vocab_size=49408, width=32, heads=2, layers=1),
        quick_gelu=quick_gelu)
    with torch.no_grad():  # open_clip zero-initialises bn3 and BN stats; make every value count
        for name, tensor in model.state_dict().items():
            if tensor.is_floating_point() and ('bn' in name or 'downsample.1' in name):
                tensor.copy_(torch.rand_like(tensor) + 0.5)
    return model.eval()


@pytest.fixture(scope='session')
def tiny_clip():
    """A tiny open_clip CLIP with OpenAI's RN layout (a 2x2 grid at 64 px), QuickGELU."""
    return tiny_open_clip()
