"""What tcm's command-line tools share: building the runner and reporting user errors."""
import os
import pickle
import sys
from typing import Callable, Optional

from .checkpoint_io import refused_global
from .errors import InputError, one_line

#: Predictable failures a tool reports in one line: bad files and values, a blown-up loss.
USER_ERRORS = (OSError, InputError, FloatingPointError, pickle.UnpicklingError)


def allow_unsafe_load() -> None:
    """The explicit opt-in to full unpickling of checkpoints (they can run code)."""
    os.environ['TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD'] = '1'


def load_config(path: str,
                cfg_options: Optional[dict],
                work_dir: Optional[str],
                launcher: str = 'none'):
    """``Config.fromfile`` plus ``--cfg-options``, the launcher and a default work dir."""
    import os.path as osp

    from .configs import read_config
    if not osp.isfile(path):
        raise FileNotFoundError(f'config file not found: {path}')
    cfg = read_config(path)
    cfg.launcher = launcher
    if cfg_options:
        cfg.merge_from_dict(cfg_options)
    cfg.work_dir = work_dir or cfg.get('work_dir') or osp.join('work_dirs',
                                                               osp.splitext(osp.basename(path))[0])
    return cfg


def build_runner(cfg):
    """tcm's ``TCMRunner`` unless the config names another ``runner_type``."""
    from mmocr.registry import RUNNERS
    cfg.setdefault('runner_type', 'TCMRunner')
    return RUNNERS.build(cfg)


def explain(exc: BaseException, checkpoint: Optional[str] = None) -> str:
    """One line for a user error."""
    if isinstance(exc, pickle.UnpicklingError):
        name = refused_global(str(exc)) or 'an object'
        return (f'{checkpoint or "the checkpoint"}: loading it would unpickle arbitrary objects '
                f'({name}), which can run code; pass --unsafe-load only if you trust it')
    return one_line(exc)


def run_tool(main: Callable[[], None], checkpoint: Callable[[], Optional[str]] = lambda: None):
    """Run ``main``; user errors end the process with one ``error:`` line, bugs keep tracebacks."""
    try:
        main()
    except USER_ERRORS as exc:
        sys.exit(f'error: {explain(exc, checkpoint())}')
