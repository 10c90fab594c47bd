"""Loading CLIP weights from local files into TCM's two CLIP towers.

Accepted files: OpenAI's TorchScript archives (``RN50.pt``, read by ``torch.jit.load``),
open_clip training checkpoints (``{'state_dict': {'module.visual...'}}``), plain state
dicts saved with ``torch.save`` and ``.safetensors`` files. Pickled files are read with
``weights_only=True``; nothing in them is executed.
"""
import os
import zipfile
from typing import Dict

import torch
from mmengine.logging import print_log
from torch import Tensor, nn

from ...utils.checkpoint_io import read_checkpoint
from ...utils.errors import InputError
from .attention_pool import resize_positional_embedding


def _is_torchscript(path: str) -> bool:
    if not zipfile.is_zipfile(path):
        return False
    with zipfile.ZipFile(path) as archive:
        return any(
            name.endswith('constants.pkl') or '/code/' in name for name in archive.namelist())


def load_clip_state_dict(path: str) -> Dict[str, Tensor]:
    """Return the CLIP state dict stored in ``path`` with float32 tensors and no ``module.`` prefix."""
    if not os.path.isfile(path):
        raise FileNotFoundError(f'CLIP weights not found: {path}')
    if _is_torchscript(path):
        try:
            state = torch.jit.load(path, map_location='cpu').state_dict()
        except Exception as exc:  # noqa: BLE001
            reason = (str(exc).strip() or type(exc).__name__).splitlines()[0]
            raise InputError(f'{path}: not a loadable TorchScript archive ({reason})') from None
    elif path.endswith('.safetensors'):
        from safetensors.torch import load_file
        state = load_file(path)
    else:
        state = read_checkpoint(path)
    if isinstance(state, dict) and isinstance(state.get('state_dict'), dict):
        state = state['state_dict']
    if not isinstance(state, dict):
        raise InputError(f'{path}: holds a {type(state).__name__}, not a CLIP state dict')
    return {
        k.removeprefix('module.'): v.float() if v.is_floating_point() else v
        for k, v in state.items() if isinstance(v, Tensor)
    }


def _load_checked(module: nn.Module, weights: Dict[str, Tensor], path: str, what: str) -> None:
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


def load_clip_visual(encoder: nn.Module, path: str) -> None:
    """Load CLIP's ``visual.*`` weights into a :class:`CLIPResNetWithAttention`.

    The ``7x7`` positional grid of CLIP is resized to ``input_resolution / 32``.
    """
    weights = {
        k[len('visual.'):]: v
        for k, v in load_clip_state_dict(path).items() if k.startswith('visual.')
    }
    if not weights:
        raise InputError(f'{path}: no CLIP image-encoder weights (keys visual.*) found')
    key = 'attnpool.positional_embedding'
    if key in weights and encoder.attnpool is not None:
        side = encoder.attnpool.positional_embedding.shape[0] - 1
        side = int(round(side**0.5))
        weights[key] = resize_positional_embedding(weights[key], (side, side))
    _load_checked(encoder, weights, path, 'image encoder')


TEXT_KEYS = ('transformer.', 'token_embedding.', 'ln_final.', 'positional_embedding',
             'text_projection')


def load_clip_text(encoder: nn.Module, path: str) -> None:
    """Load CLIP's text tower into a :class:`CLIPTextContextEncoder`.

    The positional embedding is truncated to the encoder's context length
    (prompt tokens plus learnable context), as in the original TCM.
    """
    weights = {k: v for k, v in load_clip_state_dict(path).items() if k.startswith(TEXT_KEYS)}
    if not weights:
        raise InputError(
            f'{path}: no CLIP text-encoder weights (transformer.*, token_embedding.*) found')
    pos = weights.get('positional_embedding')
    if pos is not None:
        if pos.shape[0] < encoder.context_length:
            raise InputError(
                f'{path}: CLIP text context holds {pos.shape[0]} tokens, fewer than the '
                f'{encoder.context_length} that the prompt needs')
        weights['positional_embedding'] = pos[:encoder.context_length]
    _load_checked(encoder, weights, path, 'text encoder')
