"""What tcm's command-line tools share: reading configs and arguments, building the runner,
reporting user errors in one line."""
import argparse
import os
import pickle
import sys
from typing import Callable, Optional

from .checkpoint_io import UNSAFE_LOAD_ENV, refused_global
from .errors import InputError, one_line

#: Predictable failures a tool reports in one line: bad files and values, a blown-up loss.
USER_ERRORS = (OSError, InputError, FloatingPointError, pickle.UnpicklingError)


def allow_unsafe_load() -> None:
    """The explicit opt-in to full unpickling of checkpoints (they can run code): for
    :func:`~tcm.utils.read_checkpoint` and for every ``torch.load`` of other libraries."""
    os.environ[UNSAFE_LOAD_ENV] = '1'


def _whole_number(text: str, least: int, otherwise: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f'{text!r} is not a whole number') from None
    if value < least:
        raise argparse.ArgumentTypeError(f'{value} {otherwise}')
    return value


def positive_int(text: str) -> int:
    """``argparse`` type of counts and sizes: batch sizes, runs, image sides."""
    return _whole_number(text, 1, 'is not a positive number')


def non_negative_int(text: str) -> int:
    """``argparse`` type of counts that may be 0 (worker processes)."""
    return _whole_number(text, 0, 'is negative')


def check_device(device: str) -> str:
    """``--device`` as torch reads it, refused in one line when this machine lacks it."""
    import torch
    try:
        kind = torch.device(device).type
    except RuntimeError as exc:
        raise InputError(f'--device {device}: {one_line(exc)}') from None
    if kind == 'cuda' and not torch.cuda.is_available():
        raise InputError(f'--device {device}: no CUDA GPU is visible on this machine; use '
                         '--device cpu')
    return device


#: What each launcher needs from its starter (torchrun, srun, mpirun) in the environment.
LAUNCHER_ENV = dict(
    pytorch=('RANK', 'WORLD_SIZE', 'MASTER_ADDR', 'MASTER_PORT'),
    slurm=('SLURM_PROCID', 'SLURM_NTASKS', 'SLURM_NODELIST'),
    mpi=('OMPI_COMM_WORLD_RANK', 'OMPI_COMM_WORLD_SIZE'))
STARTERS = dict(pytorch='torchrun --nproc-per-node N', slurm='srun', mpi='mpirun')


def check_launcher(launcher: str) -> None:
    """A launcher started without its starter is one line, not a hang or a KeyError."""
    lacking = [name for name in LAUNCHER_ENV.get(launcher, ()) if name not in os.environ]
    if lacking:
        raise InputError(f'--launcher {launcher} expects to be started by '
                         f'{STARTERS[launcher]} ({", ".join(lacking)} not set); start the tool '
                         'with it, or use --launcher none')


def load_config(path: str,
                cfg_options: Optional[dict],
                work_dir: Optional[str],
                launcher: str = 'none'):
    """``Config.fromfile`` plus ``--cfg-options``, the launcher and a default work dir."""
    import os.path as osp

    from .config_overrides import check_overrides
    from .configs import read_config
    if not osp.isfile(path):
        raise FileNotFoundError(f'config file not found: {path}')
    check_launcher(launcher)
    cfg = read_config(path)
    cfg.launcher = launcher
    if cfg_options:
        check_overrides(cfg, cfg_options, path)
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


def run_tool(main: Callable[[], None],
             checkpoint: Callable[[], Optional[str]] = lambda: None,
             interrupted: Callable[[], str] = lambda: 'interrupted') -> None:
    """Run ``main``; user errors end the process with one ``error:`` line, Ctrl-C with
    ``interrupted()`` and exit status 130; bugs keep their tracebacks."""
    try:
        main()
    except BaseException as exc:
        if not was_interrupted(exc):
            if isinstance(exc, USER_ERRORS):
                sys.exit(f'error: {explain(exc, checkpoint())}')
            raise
        print(interrupted(), file=sys.stderr)
        sys.exit(130)


def was_interrupted(exc: BaseException) -> bool:
    """Whether Ctrl-C is behind ``exc``: libraries with a bare ``except:`` turn it into
    their own error (MMEngine's ``Config.pretty_text``, run at every checkpoint save, raises
    ``SyntaxError``), which Python chains to the ``KeyboardInterrupt``."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, KeyboardInterrupt):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False
