"""oCLIP checkpoints, as the original trainer saves them, to three destinations.

The trainer saves ``{'epoch', 'name', 'state_dict', 'optimizer'}`` with every key under
``module.`` (DDP). Its image encoder is CLIP's modified ResNet (``visual.*``), its text tower
sits at the top level (``transformer.*``, ``token_embedding`` ...), its decoder is
``transformer_decoder.*`` with ``ln_final_decoder``, ``text_class`` and ``image_pos``.

- ``mmocr``: MMOCR's ``CLIPResNet`` backbone, the trunk only, as the original's
  ``tools/convert2mmocr.py`` writes it (a plain state dict; the stem's ``conv1/bn1 ...`` as
  ``stem.0/1/3/4/6/7``, each shortcut's ``downsample.0/1`` as ``downsample.1/2``).
- ``tcm``: tcm's CLIP image encoder (``CLIPResNetWithAttention``, trunk and attention pool) as a
  CLIP state dict (``visual.*``), which ``pretrained=`` of the encoder reads; or, given CLIP
  weights, those weights with oCLIP's trunk (:func:`trunk_into_clip`), for TCM.
- ``oclip``: this project's ``OCLIP`` model, an MMEngine checkpoint.
"""
import os.path as osp
from typing import Dict, Optional

from torch import Tensor, nn

from tcm.utils import InputError, check_state_dict, read_checkpoint
from tcm.version import __version__

StateDict = Dict[str, Tensor]
TEXT_PARTS = ('transformer.', 'token_embedding.', 'positional_embedding', 'ln_final.',
              'text_projection')
DECODER_PARTS = {
    'transformer_decoder.resblocks.': 'decoder.resblocks.',
    'ln_final_decoder.': 'decoder.ln_final.',
    'text_class.': 'decoder.text_class.',
    'image_pos': 'decoder.image_pos',
}
STEM = {
    'conv1.': 'stem.0.',
    'bn1.': 'stem.1.',
    'conv2.': 'stem.3.',
    'bn2.': 'stem.4.',
    'conv3.': 'stem.6.',
    'bn3.': 'stem.7.'
}


def read_oclip(path: str) -> StateDict:
    """The oCLIP checkpoint at ``path`` (read with ``weights_only``) in the original's names
    without ``module.``: the original trainer's file, a bare state dict, or a checkpoint of
    this project's ``OCLIP`` (pre-trained with MMEngine)."""
    content = read_checkpoint(path)
    state = content.get('state_dict', content) if isinstance(content, dict) else None
    if not isinstance(state, dict):
        raise InputError(f'{path}: holds a {type(content).__name__}, not an oCLIP checkpoint')
    if 'text_encoder.token_embedding.weight' in state:  # this project's own checkpoint
        state = to_original(state)
    state = {k.removeprefix('module.'): v for k, v in state.items()}
    if not any(k.startswith('visual.') for k in state) or 'token_embedding.weight' not in state:
        raise InputError(f'{path}: not an oCLIP checkpoint (no visual.* and token_embedding '
                         'tensors)')
    return state


def to_mmocr(state: StateDict) -> StateDict:
    """The trunk in MMOCR ``CLIPResNet``'s names (RN50: 330 tensors)."""
    out = {}
    for key, value in state.items():
        if not key.startswith('visual.') or 'attnpool' in key:
            continue
        key = key[len('visual.'):]
        for old, new in STEM.items():
            if key.startswith(old):
                key = new + key[len(old):]
                break
        out[key.replace('downsample.1', 'downsample.2').replace('downsample.0',
                                                                'downsample.1')] = value
    return out


def to_tcm(state: StateDict) -> StateDict:
    """The image encoder, trunk and attention pool, under CLIP's ``visual.`` names."""
    return {k: v for k, v in state.items() if k.startswith('visual.')}


def trunk_into_clip(state: StateDict, clip: StateDict, source: str) -> StateDict:
    """``clip`` (a CLIP state dict, e.g. OpenAI's RN50) with its image trunk replaced by
    oCLIP's: oCLIP's features under CLIP's own attention pool and text tower, the start TCM
    needs (its prompts and score map live in CLIP's 1024-d joint space; oCLIP's is 384-d)."""
    trunk = {k: v for k, v in to_tcm(state).items() if not k.startswith('visual.attnpool.')}
    for key, value in trunk.items():
        if key not in clip or clip[key].shape != value.shape:
            have = tuple(clip[key].shape) if key in clip else 'nothing'
            raise InputError(f'{source}: {key} is {tuple(value.shape)} in oCLIP but {have} in '
                             'the CLIP weights (give CLIP weights of the same ResNet)')
    return dict(clip, **trunk)


def to_oclip(state: StateDict) -> StateDict:
    """Every tensor in this project's ``OCLIP`` names."""
    out = {}
    for key, value in state.items():
        if key.startswith('visual.'):
            out['image_encoder.' + key[len('visual.'):]] = value
        elif key.startswith(TEXT_PARTS):
            out['text_encoder.' + key] = value
        elif key == 'logit_scale':
            out[key] = value
        else:
            prefix = next((p for p in DECODER_PARTS if key.startswith(p)), None)
            if prefix is None:
                raise InputError(f'unexpected oCLIP tensor {key}')
            out[DECODER_PARTS[prefix] + key[len(prefix):]] = value
    return out


def to_original(state: StateDict) -> StateDict:
    """``OCLIP``'s tensors in the original trainer's names (``module.`` included): the inverse
    of :func:`to_oclip`, for the original's own tools and for tests."""
    inverse = {v: k for k, v in DECODER_PARTS.items()}
    out = {}
    for key, value in state.items():
        if key.startswith('image_encoder.'):
            key = 'visual.' + key[len('image_encoder.'):]
        elif key.startswith('text_encoder.'):
            key = key[len('text_encoder.'):]
        elif key != 'logit_scale':
            prefix = next(p for p in inverse if key.startswith(p))
            key = inverse[prefix] + key[len(prefix):]
        out['module.' + key] = value
    return out


def depth_of(state: StateDict) -> int:
    """50 or 101 from the third stage's blocks of ``visual.*`` (0 for other encoders)."""
    blocks = {k.split('.')[2] for k in state if k.startswith('visual.layer3.')}
    return {6: 50, 23: 101}.get(len(blocks), 0)


def recipe_for(state: StateDict) -> str:
    """The pre-training config of the checkpoint's variant (RN50 or RN101)."""
    depth = depth_of(state)
    if not depth:
        raise InputError('the image encoder is neither RN50 nor RN101; give --config')
    return osp.join(
        osp.dirname(osp.dirname(osp.abspath(__file__))), 'configs',
        f'oclip_rn{depth}_100e_synthtext.py')


def convert_for_model(path: str, model: nn.Module, state: Optional[StateDict] = None) -> Dict:
    """An MMEngine checkpoint of ``model`` (a built ``OCLIP``) from the file at ``path`` (or
    its :func:`read_oclip` ``state``, already read); every tensor is checked against the model
    (one line naming the key and shapes otherwise)."""
    state = to_oclip(read_oclip(path) if state is None else state)
    check_state_dict(
        model.state_dict(), state, path,
        'convert with the config of its variant (RN50, RN101; first_stage for a first-stage '
        'model)')
    meta = dict(converted_from=osp.basename(path), converted_by=f'tcm {__version__}')
    return dict(
        meta=meta,
        state_dict={
            k: v.float() if v.is_floating_point() else v
            for k, v in state.items()
        })
