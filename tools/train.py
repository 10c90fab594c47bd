"""Train a tcm (or any MMOCR) config: ``python tools/train.py CONFIG`` or ``mim train tcm CONFIG``."""
import argparse
import os
import os.path as osp
import sys

from mmengine.config import Config, DictAction

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
if osp.isfile(osp.join(REPO, 'tcm', '__init__.py')):  # run from a checkout: use its tcm
    sys.path.insert(0, REPO)


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Train a text detector')
    parser.add_argument('config', help='config file path')
    parser.add_argument(
        '--work-dir', help='where logs and checkpoints go '
        '(default: work_dirs/<config name>)')
    parser.add_argument(
        '--resume',
        nargs='?',
        const='auto',
        default=None,
        help='resume from CHECKPOINT, or from the latest one in the work dir')
    parser.add_argument('--amp', action='store_true', help='mixed-precision training')
    parser.add_argument(
        '--tensorboard',
        action='store_true',
        help='also log scalars to TensorBoard (WORK_DIR/TIMESTAMP/vis_data)')
    parser.add_argument(
        '--auto-scale-lr',
        action='store_true',
        help='scale the learning rate by the actual batch size')
    parser.add_argument(
        '--unsafe-load',
        action='store_true',
        help='unpickle arbitrary objects in checkpoints (can run code; trusted '
        'files only)')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override config entries, e.g. model.clip_pretrained=RN50.pt')
    parser.add_argument(
        '--launcher',
        choices=['none', 'pytorch', 'slurm', 'mpi'],
        default='none',
        help='job launcher')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    args = parser.parse_args(argv)
    os.environ.setdefault('LOCAL_RANK', str(args.local_rank))
    return args


def build_config(args: argparse.Namespace) -> Config:
    from tcm.utils.cli import load_config
    cfg = load_config(args.config, args.cfg_options, args.work_dir, args.launcher)
    if args.resume == 'auto':
        cfg.resume, cfg.load_from = True, None
    elif args.resume:
        cfg.resume, cfg.load_from = True, args.resume
    if args.amp:
        from mmengine.device import (is_cuda_available, is_mlu_available, is_musa_available,
                                     is_npu_available)

        from tcm.utils.errors import InputError
        if not any(f() for f in (is_cuda_available, is_npu_available, is_mlu_available,
                                 is_musa_available)):  # AmpOptimWrapper's own condition
            raise InputError('--amp trains with MMEngine\'s AmpOptimWrapper, which needs a GPU '
                             '(on CPU, test_cfg.fp16=True still tests in bfloat16)')
        cfg.optim_wrapper.type = 'AmpOptimWrapper'
        cfg.optim_wrapper.setdefault('loss_scale', 'dynamic')
    if args.tensorboard:
        cfg.visualizer.vis_backends = [
            dict(type='LocalVisBackend'),
            dict(type='TensorboardVisBackend')
        ]
    if args.auto_scale_lr:
        cfg.auto_scale_lr.enable = True
    return cfg


def main(argv=None) -> None:
    import tcm  # noqa: F401  (registers tcm's modules and its safe checkpoint loading)
    from tcm.utils.cli import allow_unsafe_load, build_runner, run_tool
    args = parse_args(argv)
    if args.unsafe_load:
        allow_unsafe_load()
    state = {}

    def train():
        state['runner'] = build_runner(build_config(args))
        state['runner'].train()

    def interrupted() -> str:
        runner = state.get('runner')
        done = f' after iteration {runner.iter}' if runner and runner.iter else ''
        return f'interrupted{done}; continue from the last checkpoint with --resume'

    run_tool(train, interrupted=interrupted)


if __name__ == '__main__':
    main()
