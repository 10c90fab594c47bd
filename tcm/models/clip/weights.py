"""CLIP weights from local files: source adapters give CLIP's key layout, each tower takes its part.

Files are read without running code stored in them, for their tensors only:

- zip archives, i.e. OpenAI's TorchScript files (``RN50.pt``, ``ViT-B-16.pt``), open_clip and
  oCLIP training checkpoints (``{'state_dict': {'module.visual...'}}``) and ``torch.save``'d state
  dicts: :func:`~tcm.utils.restricted_unpickler.restricted_load`, which rebuilds tensors and
  stubs every other object (``torch.jit.load`` would run the archive);
- files in the pre-1.6 ``torch.save`` format: ``torch.load(weights_only=True)``;
- ``.safetensors`` files.

:data:`LAYOUT_ADAPTERS` then rename other layouts into CLIP's (``visual.*`` for the image
tower, top-level keys for the text tower): MMOCR's oCLIP ``CLIPResNet`` names its ResNet the
mmdet way. Each tower's ``clip_state_dict(state)`` picks its part of the result and adapts it to
its sizes (positional grids, context length), like timm's ``checkpoint_filter_fn``; one checked
loader puts it in place.
"""
import os.path as osp
import re
import zipfile
from typing import Callable, Dict, List

from mmengine.logging import print_log
from torch import Tensor, nn

from ...utils.checkpoint_io import read_checkpoint
from ...utils.errors import InputError
from ...utils.restricted_unpickler import restricted_load, tensors_of

StateDict = Dict[str, Tensor]


def _read_tensors(path: str) -> StateDict:
    if path.endswith('.safetensors'):
        from safetensors.torch import load_file
        return load_file(path)
    content = restricted_load(path) if zipfile.is_zipfile(path) else read_checkpoint(path)
    if isinstance(content, dict) and isinstance(content.get('state_dict'), dict):
        content = content['state_dict']  # open_clip's and oCLIP's training checkpoints
    return tensors_of(content)  # a TorchScript module tree gives its state_dict names


#: MMOCR's ``CLIPResNet`` stem (mmdet's deep stem; 2, 5 and 8 are ReLUs) -> CLIP's names.
MMOCR_STEM = {'0': 'conv1', '1': 'bn1', '3': 'conv2', '4': 'bn2', '6': 'conv3', '7': 'bn3'}


def from_mmocr_clip_resnet(state: StateDict) -> StateDict:
    """MMOCR's oCLIP ``CLIPResNet`` (``resnet50-oclip-*.pth``, or the ``backbone.`` of an MMOCR
    detector built on it) in CLIP's ``visual.*`` names; other layouts pass unchanged.

    mmdet names the stem ``stem.{0,1,3,4,6,7}`` and puts an average pool first in each
    shortcut (``downsample.{1,2}`` are CLIP's ``downsample.{0,1}``); the attention pool is gone.
    """
    prefix = next((p for p in ('', 'backbone.') if f'{p}stem.0.weight' in state), None)
    if prefix is None:
        return state
    renamed = {}
    for key, value in state.items():
        if not key.startswith(prefix):
            continue  # an MMOCR detector's neck and head
        key = key[len(prefix):]
        if key.startswith('stem.'):
            index, _, rest = key[len('stem.'):].partition('.')
            key = f'{MMOCR_STEM[index]}.{rest}'
        key = re.sub(r'\.downsample\.([12])\.', lambda m: f'.downsample.{int(m[1]) - 1}.', key)
        renamed[f'visual.{key}'] = value
    return renamed


#: Renaming steps from the layouts tcm reads into CLIP's, applied in order; a project that reads
#: another layout appends its own (each returns the state dict unchanged when it does not apply).
LAYOUT_ADAPTERS: List[Callable[[StateDict], StateDict]] = [from_mmocr_clip_resnet]


def read_clip_state_dict(path: str) -> StateDict:
    """The CLIP state dict in ``path``, in CLIP's key layout, floating tensors in float32."""
    if not osp.isfile(path):
        raise FileNotFoundError(f'CLIP weights not found: {path}')
    state = {
        key.removeprefix('module.'): value.float() if value.is_floating_point() else value
        for key, value in _read_tensors(path).items()
    }
    for adapt in LAYOUT_ADAPTERS:
        state = adapt(state)
    return state


def strip_prefix(state: StateDict, prefix: str) -> StateDict:
    """The entries of ``state`` under ``prefix``, without it."""
    return {key[len(prefix):]: value for key, value in state.items() if key.startswith(prefix)}


def load_checked(module: nn.Module, weights: StateDict, path: str, what: str) -> None:
    """Load ``weights`` into ``module``, failing with one line on any missing or misshaped key."""
    own = module.state_dict()
    for key, value in weights.items():
        if key in own and own[key].shape != value.shape:
            raise InputError(
                f'{path}: {key} has shape {tuple(value.shape)} but the {what} expects '
                f'{tuple(own[key].shape)}; is this the CLIP model the config describes?')
    missing = [k for k in own if k not in weights and not k.endswith('num_batches_tracked')]
    if missing:
        raise InputError(f'{path}: {len(missing)} {what} weights are missing (e.g. {missing[0]}); '
                         'is this a CLIP checkpoint of the configured architecture?')
    module.load_state_dict({k: v for k, v in weights.items() if k in own}, strict=False)
    print_log(f'loaded {len(own) - len(missing)} CLIP {what} tensors from {path}', logger='current')


def load_clip_weights(tower: nn.Module, path: str) -> None:
    """Load a CLIP tower from ``path``: its ``clip_state_dict`` part of the file's weights.

    Towers name what they load in ``clip_part`` (e.g. ``'image encoder'``) and the keys they
    look for in ``clip_keys``, for the messages.
    """
    try:
        weights = tower.clip_state_dict(read_clip_state_dict(path))
    except InputError as exc:
        message = str(exc)
        raise InputError(message if message.startswith(path) else f'{path}: {message}') from None
    if not weights:
        raise InputError(f'{path}: no CLIP {tower.clip_part} weights ({tower.clip_keys}) found')
    load_checked(tower, weights, path, tower.clip_part)
