"""Finding the configs and projects that ship with tcm, and reading configs that use them."""
import glob
import importlib.util
import os.path as osp
import sys
from typing import Optional

from mmengine.config import Config
from mmengine.utils import import_modules_from_strings

from .errors import InputError, one_line

PACKAGE = osp.dirname(osp.dirname(osp.abspath(__file__)))


def find_config(name: str) -> str:
    """Path of a tcm config found by file name, as ``mim`` finds it.

    Looks in the installed package (``tcm/configs``) and, when tcm runs from a
    checkout, in the repository's ``configs/``.
    """
    for root in (osp.join(PACKAGE, 'configs'), osp.join(osp.dirname(PACKAGE), 'configs')):
        found = glob.glob(osp.join(root, '**', name), recursive=True)
        if found:
            return found[0]
    raise FileNotFoundError(f'no tcm config named {name}')


def find_project_folder(package: str) -> Optional[str]:
    """The folder of the tcm project whose Python package is ``package`` (``clip4str`` lives in
    ``projects/CLIP4STR``), in the installed package or the checkout; None if none has it."""
    for root in (osp.join(PACKAGE, 'projects'), osp.join(osp.dirname(PACKAGE), 'projects')):
        found = glob.glob(osp.join(root, '*', package, '__init__.py'))
        if found:
            return osp.dirname(osp.dirname(found[0]))
    return None


def read_config(path: str) -> Config:
    """``Config.fromfile`` that finds tcm's projects: a ``custom_imports`` module that is not
    importable but is a tcm project's package gets its project folder on ``sys.path`` (no
    ``PYTHONPATH`` needed, also after ``pip install`` and under ``mim``), then is imported."""
    try:
        cfg = Config.fromfile(path, import_custom_modules=False)
    except (SyntaxError, NameError, TypeError, ValueError, KeyError, AttributeError, ImportError,
            AssertionError) as exc:  # the file's own mistakes, as Python reports
        raise InputError(f'{path}: cannot be read as a config ({type(exc).__name__}: '
                         f'{one_line(exc)})') from None
    custom = cfg.get('custom_imports')
    if custom:
        for name in custom.get('imports', []):
            root = name.split('.')[0]
            folder = None if importlib.util.find_spec(root) else find_project_folder(root)
            if folder and folder not in sys.path:
                sys.path.insert(0, folder)
        try:
            import_modules_from_strings(**custom)
        except ImportError as exc:
            raise InputError(f'{path}: custom_imports: {one_line(exc)}') from None
    return cfg


def build_from_config(path: str, cfg_options: Optional[dict] = None):
    """``(model, config)`` of the config at ``path`` (a file, or ``package::path`` such as
    ``mmocr::textrecog/...``), read with :func:`read_config`, ``cfg_options`` merged, built
    in the config's default scope; a missing file is one line."""
    from mmengine.hub import get_config
    from mmengine.registry import init_default_scope
    from mmocr.registry import MODELS
    if '::' not in path and not osp.isfile(path):
        raise FileNotFoundError(f'config file not found: {path}')
    cfg = get_config(path) if '::' in path else read_config(path)
    if cfg_options:
        from .config_overrides import check_overrides
        check_overrides(cfg, cfg_options, path)
        cfg.merge_from_dict(cfg_options)
    init_default_scope(cfg.get('default_scope', 'mmocr'))
    return MODELS.build(cfg.model), cfg
