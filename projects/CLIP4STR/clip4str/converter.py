"""Converting CLIP4STR's released checkpoints (Lightning ``.ckpt`` and ``.pt``) to this project.

The original keeps CLIP under ``clip_model.`` (image tower ``clip_model.visual.``, text tower
at its top level, all 77 text positions) and numbers tokens EOS 0, characters 1..N, BOS N+1,
padding N+2. Here the towers are ``image_encoder.`` and ``text_encoder.`` (the caption
positions only) and tokens follow MMOCR's ``Dictionary``: the characters, BOS, EOS, padding;
the decoders' token-embedding and head rows are reordered to match, by character.
"""
import os.path as osp
import zipfile
from typing import Dict, Optional

import torch
from torch import Tensor, nn

from tcm.utils import InputError, check_state_dict, read_checkpoint, restricted_load, tensors_of
from tcm.version import __version__

#: CLIP4STR's default training charset (configs/charset/94_full.yaml), used when a checkpoint
#: does not say which one it was trained with.
DEFAULT_CHARSET = ('0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'
                   '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~')
TEXT_PARTS = ('token_embedding.', 'positional_embedding', 'transformer.', 'ln_final.',
              'text_projection')


def read_released(path: str) -> Dict:
    """The checkpoint at ``path``: its tensors and, when present, its hyper-parameters. Nothing
    in the file runs (scheduler states and other objects become inert stubs)."""
    if not osp.isfile(path):
        raise FileNotFoundError(f'{path}: no such file')
    content = restricted_load(path) if zipfile.is_zipfile(path) else read_checkpoint(path)
    if not isinstance(content, dict):
        raise InputError(f'{path}: holds a {type(content).__name__}, not a CLIP4STR checkpoint')
    state = content.get('state_dict', content)
    tensors = tensors_of(state) if isinstance(state, dict) else {}
    if not any(k.startswith('clip_model.visual.') for k in tensors):
        raise InputError(f'{path}: not a CLIP4STR checkpoint (no clip_model.visual.* tensors)')
    hyper = content.get('hyper_parameters')
    return dict(state=tensors, hyper=hyper if isinstance(hyper, dict) else {})


def _reorder(rows: Tensor, order, what: str, path: str) -> Tensor:
    if max(order) >= rows.shape[0]:
        raise InputError(f'{path}: {what} has {rows.shape[0]} rows; the dictionary needs '
                         f'{max(order) + 1} (another charset?)')
    return rows[order]


def convert_clip4str(path: str, model: nn.Module) -> Dict:
    """An MMEngine checkpoint of ``model`` (a built ``CLIP4STR``) from the original file.

    Raises ``InputError`` naming the key and shapes when the file is another variant, and the
    characters when its charset lacks some of the dictionary's.
    """
    released = read_released(path)
    state, charset = released['state'], released['hyper'].get('charset_train', DEFAULT_CHARSET)
    state = {k.removeprefix('module.').removeprefix('model.'): v for k, v in state.items()}
    missing = [c for c in model.chars if c not in charset]
    if missing:
        raise InputError(f'{path}: trained on a charset without {"".join(missing)!r}, which the '
                         'dictionary has')
    d = model.dictionary
    chars = [1 + charset.index(c) for c in model.chars]  # original ids of the dictionary's chars
    specials = {d.start_idx: len(charset) + 1, d.end_idx: 0, d.padding_idx: len(charset) + 2}
    token_order = [chars[i] if i < len(chars) else specials[i] for i in range(d.num_classes)]
    class_order = chars + [0]  # the characters, then EOS
    converted = {}
    for key, value in state.items():
        if key.startswith('clip_model.visual.'):
            converted['image_encoder.' + key[len('clip_model.visual.'):]] = value
        elif key.startswith('clip_model.') and key[len('clip_model.'):].startswith(TEXT_PARTS):
            converted['text_encoder.' + key[len('clip_model.'):]] = value
        elif key.startswith(('visual_decoder.', 'cross_decoder.')):
            if key.endswith('text_embed.embedding.weight'):
                value = _reorder(value, token_order, key, path)
            elif key.endswith(('head.weight', 'head.bias')):
                value = _reorder(value, class_order, key, path)
            converted[key] = value
    own = model.state_dict()
    pos = 'text_encoder.positional_embedding'
    if pos in converted and pos in own:
        converted[pos] = converted[pos][:own[pos].shape[0]]
    check_state_dict(own, converted, path,
                     'convert with the config of its variant (ViT-B/16, L/14, H/14)')
    meta = dict(
        converted_from=osp.basename(path),
        converted_by=f'tcm {__version__}',
        charset_train=charset,
        dataset_meta=dict(dictionary=''.join(model.chars)))
    return dict(
        meta=meta,
        state_dict={
            k: v.float() if v.is_floating_point() else v
            for k, v in converted.items()
        })


def released_layout(model: nn.Module, charset: Optional[str] = None) -> Dict[str, Tensor]:
    """``model``'s weights in the original's layout (the inverse of :func:`convert_clip4str`,
    with all 77 text positions); for tests and for comparing with the original code."""
    charset = charset or DEFAULT_CHARSET
    if sorted(charset) != sorted(model.chars):
        raise InputError('the charset must hold exactly the dictionary\'s characters')
    d = model.dictionary
    state = {}
    for key, value in model.state_dict().items():
        if key.startswith('image_encoder.'):
            state['clip_model.visual.' + key[len('image_encoder.'):]] = value
        elif key.startswith('text_encoder.'):
            state['clip_model.' + key[len('text_encoder.'):]] = value
        else:
            state[key] = value
    index = {c: i for i, c in enumerate(model.chars)}
    for prefix in ('visual_decoder.', 'cross_decoder.'):
        embed, head_w, head_b = (
            state[prefix + k] for k in ('text_embed.embedding.weight', 'head.weight', 'head.bias'))
        rows = [embed[d.end_idx]] + [embed[index[c]] for c in charset] + \
            [embed[d.start_idx], embed[d.padding_idx]]
        state[prefix + 'text_embed.embedding.weight'] = torch.stack(rows)
        for key, value in (('head.weight', head_w), ('head.bias', head_b)):
            state[prefix + key] = torch.stack([value[len(model.chars)]] +
                                              [value[index[c]] for c in charset])
    pos = state['clip_model.positional_embedding']
    state['clip_model.positional_embedding'] = torch.cat(
        [pos, pos.new_zeros(77 - pos.shape[0], pos.shape[1])])
    state['clip_model.logit_scale'] = torch.tensor(4.6052)
    return state
