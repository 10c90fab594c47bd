"""Checking ``--cfg-options`` before they are merged, so that a typo is an error, not a no-op.

MMEngine merges any key silently: a misspelt key adds an entry nothing reads, a wrong type
fails deep inside a constructor, and a config's own top-level variable (``max_epochs = 1``,
read while the file was parsed) changes nothing afterwards. :func:`check_overrides` refuses
each of these in one line, with a did-you-mean where one fits.
"""
import difflib
import inspect
from numbers import Number
from typing import Any, Iterable, Mapping, Optional

from .errors import InputError

#: Top-level keys read after parsing: the Runner's arguments, and the switches that MMEngine's
#: Runner and tcm read from the config (``tcm.engine``, tools/train.py).
EXTRA_READ_KEYS = {
    'runner_type', 'compile', 'model_wrapper_cfg', 'find_unused_parameters', 'channels_last',
    'partial_load', 'tta_model', 'tta_pipeline'
}

#: Entries that count things: at least 1 (``num_workers`` at least 0), whole numbers.
MINIMUM = dict(batch_size=1, max_epochs=1, max_iters=1, val_interval=1, interval=1, num_workers=0)


def runtime_keys() -> set:
    """Every top-level key something reads once the config has been parsed."""
    from mmengine.runner import Runner
    return (set(inspect.signature(Runner.__init__).parameters) - {'self', 'cfg'}) | EXTRA_READ_KEYS


def _close(word: str, choices: Iterable[str]) -> Optional[str]:
    found = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.75)
    return found[0] if found else None


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + '...'


def _kind(value: Any) -> Optional[str]:
    """The type family an override must keep (numbers mix, lists and tuples mix)."""
    if value is None:
        return None
    if isinstance(value, (bool, Number)):
        return 'a number'
    if isinstance(value, str):
        return 'a string'
    if isinstance(value, (list, tuple)):
        return 'a list'
    if isinstance(value, Mapping):
        return 'a dict'
    return None


def _where_value_went(cfg: Mapping, name: str, value: Any, prefix: str = '') -> Optional[str]:
    """The first nested key named ``name`` whose value equals the variable's (where
    ``train_cfg = dict(max_epochs=max_epochs)`` put it)."""
    for key, item in cfg.items():
        path = f'{prefix}{key}'
        if key == name and prefix and item == value:
            return path
        if isinstance(item, Mapping):
            found = _where_value_went(item, name, value, path + '.')
            if found:
                return found
    return None


def check_overrides(cfg: Mapping, options: Mapping[str, Any], config: str) -> None:
    """Raise one ``InputError`` line for the first override of ``options`` (dotted keys, as
    ``--cfg-options`` gives them) that cannot do what it says in ``cfg`` (from ``config``)."""
    cfg = cfg.to_dict() if hasattr(cfg, 'to_dict') else cfg  # an MMEngine Config
    readable = runtime_keys()
    for dotted, value in options.items():
        keys = dotted.split('.')
        top = keys[0]
        if top not in readable:
            if top in cfg:
                target = _where_value_went(cfg, top, cfg[top])
                hint = f'set {target} instead' if target else \
                    'edit the config, or set the entries that use it'
                raise InputError(f'--cfg-options {dotted}: {top} is a variable of {config}, '
                                 f'used only while the file is read, so overriding it changes '
                                 f'nothing; {hint}')
            guess = _close(top, set(cfg) | readable)
            raise InputError(f'--cfg-options {dotted}: {config} has no {top} and nothing reads '
                             'it' + (f' (did you mean {guess}?)' if guess else ''))
        node, path = cfg, []
        for key in keys:
            if node is None:
                break  # entries under an empty value: new
            if isinstance(node, (list, tuple)):
                if not key.isdigit() or int(key) >= len(node):
                    raise InputError(f'--cfg-options {dotted}: {".".join(path)} is a list of '
                                     f'{len(node)}; {key} is not one of its indices')
                node = node[int(key)]
            elif isinstance(node, Mapping):
                if key not in node:
                    guess = _close(key, [k for k in node if isinstance(k, str)])
                    if guess:
                        raise InputError(f'--cfg-options {dotted}: {config} has no '
                                         f'{".".join(path + [key])} (did you mean '
                                         f'{".".join(path + [guess])}?)')
                    node = None  # a new entry, e.g. a constructor argument left at its default
                    break
                node = node[key]
            else:
                raise InputError(f'--cfg-options {dotted}: {".".join(path)} is {_short(node)}, '
                                 'which has no entries')
            path.append(key)
        least = MINIMUM.get(keys[-1])
        if least is not None and not (isinstance(value, int) and not isinstance(value, bool)
                                      and value >= least):
            raise InputError(f'--cfg-options {dotted}: must be a whole number of at least '
                             f'{least}, got {_short(value)}')
        old, new = _kind(node), _kind(value)
        if old and new and old != new:
            raise InputError(f'--cfg-options {dotted}: expected {old} like the config\'s '
                             f'{_short(node)}, got {_short(value)}')
