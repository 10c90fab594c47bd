"""Converting checkpoints of the original TCM (MMOCR 0.4 / mmcv 1.x) to tcm.

tcm keeps the original module and parameter names, so the whole rename table is
:data:`LEGACY_RENAMES`. The number of learnable prompts and the positional grid
are read from tensor shapes and must match the target config.
"""
import math
import os.path as osp
from collections import OrderedDict
from typing import Callable, Dict, Optional, Tuple

from torch import Tensor, nn

from ...utils.errors import InputError
from ...version import __version__
from ..clip import preset_sizes

#: legacy key prefix -> tcm key prefix (MMOCR 1.x calls the detection head ``det_head``).
LEGACY_RENAMES: Tuple[Tuple[str, str], ...] = (('bbox_head.', 'det_head.'), )

#: keys every TCM checkpoint has, whatever its detector.
TCM_KEYS = ('contexts', 'backbone.attnpool.positional_embedding',
            'text_encoder.positional_embedding')


def legacy_state_dict(checkpoint, path: str) -> 'OrderedDict[str, Tensor]':
    """The renamed state dict of a legacy checkpoint (``{'state_dict': ...}`` or bare)."""
    state = checkpoint.get('state_dict', checkpoint) if isinstance(checkpoint, dict) else None
    if not isinstance(state, dict) or not any(isinstance(v, Tensor) for v in state.values()):
        raise InputError(f'{path}: holds no state dict of tensors')
    renamed = OrderedDict()
    for key, value in state.items():
        if not isinstance(value, Tensor):
            continue
        key = key.removeprefix('module.')
        for old, new in LEGACY_RENAMES:
            if key.startswith(old):
                key = new + key[len(old):]
        renamed[key] = value
    missing = [k for k in TCM_KEYS if k not in renamed]
    if missing:
        raise InputError(f'{path}: not a TCM checkpoint (no {missing[0]}); a plain MMOCR detector '
                         'needs no conversion beyond bbox_head. -> det_head.')
    return renamed


def legacy_variant(state: Dict[str, Tensor]) -> Dict[str, int]:
    """Settings a checkpoint fixes through its shapes: prompts, prompt length, grid, score channels."""
    num_prompts = state['contexts'].shape[1]
    rows = state['backbone.attnpool.positional_embedding'].shape[0] - 1
    side = math.isqrt(rows)
    return dict(
        num_prompts=num_prompts,
        prompt_length=state['text_encoder.positional_embedding'].shape[0] - num_prompts,
        input_resolution=32 * side if side * side == rows else -1)


def check_variant(state: Dict[str, Tensor], model_cfg, path: str, config: str) -> None:
    """Fail, naming the config value and the checkpoint shape, where they disagree."""
    found = legacy_variant(state)
    backbone = model_cfg.backbone
    resolution = preset_sizes(
        backbone.get('preset', 'RN50'), 'vision',
        image_size=backbone.get('input_resolution'))['image_size']
    checks = (
        ('model.num_prompts', model_cfg.get('num_prompts', 4), 'contexts', 'num_prompts'),
        ('model.prompt_length', model_cfg.get('prompt_length', 14),
         'text_encoder.positional_embedding', 'prompt_length'),
        ('model.backbone.input_resolution', resolution, 'backbone.attnpool.positional_embedding',
         'input_resolution'),
    )
    for option, expected, key, name in checks:
        if found[name] != expected:
            raise InputError(
                f'{config}: {option}={expected} does not fit {path}, whose {key} has shape '
                f'{tuple(state[key].shape)} ({option}={found[name]}); use a config with that value '
                f'(--cfg-options {option}={found[name]})')


def convert_legacy_checkpoint(checkpoint,
                              path: str,
                              model_cfg,
                              config: str,
                              build_model: Optional[Callable[[], nn.Module]] = None) -> Dict:
    """Rename and check a legacy checkpoint (as read by :func:`read_checkpoint`).

    Args:
        checkpoint: The loaded legacy file.
        path: Its path, for messages.
        model_cfg: ``cfg.model`` of the target config.
        config: The config's path, for messages.
        build_model: Builds the target model; when given, the converted weights
            must load into it with no missing, unexpected or misshaped key.

    Returns:
        An MMEngine checkpoint ``dict(meta=..., state_dict=...)``.
    """
    state = legacy_state_dict(checkpoint, path)
    check_variant(state, model_cfg, path, config)
    if build_model is not None:
        try:
            result = build_model().load_state_dict(state, strict=False)
        except RuntimeError as exc:  # size mismatches
            detail = next(line.strip() for line in str(exc).splitlines() if 'size mismatch' in line)
            raise InputError(f'{path} does not fit {config}: {detail}') from None
        problems = result.missing_keys or result.unexpected_keys
        if problems:
            kind = 'lacks' if result.missing_keys else 'has unexpected'
            raise InputError(f'{path} {kind} {len(problems)} key(s) of {config} '
                             f'(e.g. {problems[0]})')
    legacy_meta = checkpoint.get('meta') if isinstance(checkpoint, dict) else None
    legacy_meta = legacy_meta if isinstance(legacy_meta, dict) else {}
    meta = dict(
        converted_from=osp.basename(path),
        converted_by=f'tcm {__version__}',
        config=osp.basename(config),
        legacy_exp_name=legacy_meta.get('exp_name'),
        legacy_config=legacy_meta.get('config'))
    return dict(meta={k: v for k, v in meta.items() if v is not None}, state_dict=state)


def guess_headline_config(checkpoint_meta: Optional[Dict]) -> str:
    """The tcm config matching a legacy run's name (``meta['exp_name']`` / ``meta['config']``).

    TCM-FCENet and TCM-PANet runs are recognised by name; TCM-DBNet runs by dataset
    (MSRA-TD500, CTW1500, Total-Text, otherwise ICDAR2015).
    """
    text = ' '.join(str(checkpoint_meta.get(k, '')) for k in ('exp_name', 'config')) \
        if isinstance(checkpoint_meta, dict) else ''
    if 'fcenet' in text:
        return 'tcm-fcenet_clip-r50_fpn_1500e_icdar2015.py'
    if 'panet' in text:
        dataset = 'ctw1500' if '_ctw' in text else 'icdar2015'
        return f'tcm-panet_clip-r50_fpem-ffm_1200e_{dataset}.py'
    tags = (('td500', ('_td_', 'td500', 'ft_td')), ('ctw1500', ('_ctw', 'ctw1500')),
            ('totaltext', ('_tt_', 'total_text', 'totaltext')))
    dataset = next((name for name, keys in tags if any(k in text for k in keys)), 'icdar2015')
    return f'tcm-dbnet_clip-r50_fpnc_1200e_{dataset}.py'
