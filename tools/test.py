"""Evaluate a checkpoint: ``python tools/test.py CONFIG CHECKPOINT`` or
``mim test tcm CONFIG --checkpoint CHECKPOINT`` (hmean-iou for the text-detection configs)."""
import argparse
import os
import os.path as osp
import sys

from mmengine.config import DictAction

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
if osp.isfile(osp.join(REPO, 'tcm', '__init__.py')):  # run from a checkout: use its tcm
    sys.path.insert(0, REPO)


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Test (evaluate) a text detector')
    parser.add_argument('config', help='config file path')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument('--work-dir', help='where logs and metrics go')
    parser.add_argument(
        '--show-dir', help='also write visualizations to WORK_DIR/TIMESTAMP/SHOW_DIR')
    parser.add_argument(
        '--unsafe-load',
        action='store_true',
        help='unpickle arbitrary objects in the checkpoint (can run code; trusted '
        'files only)')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override config entries, e.g. test_dataloader.batch_size=4')
    parser.add_argument(
        '--launcher',
        choices=['none', 'pytorch', 'slurm', 'mpi'],
        default='none',
        help='job launcher')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    args = parser.parse_args(argv)
    os.environ.setdefault('LOCAL_RANK', str(args.local_rank))
    return args


def main(argv=None) -> None:
    args = parse_args(argv)
    import tcm  # noqa: F401  (registers tcm's modules and its safe checkpoint loading)
    from tcm.utils.cli import allow_unsafe_load, build_runner, load_config, run_tool
    if args.unsafe_load:
        allow_unsafe_load()

    def test():
        if not osp.exists(args.checkpoint):
            raise FileNotFoundError(f'checkpoint file not found: {args.checkpoint}')
        cfg = load_config(args.config, args.cfg_options, args.work_dir, args.launcher)
        cfg.load_from = args.checkpoint
        if args.show_dir:
            hook = cfg.default_hooks.visualization
            hook.update(enable=True, draw_pred=True, draw_gt=True, test_out_dir=args.show_dir)
        build_runner(cfg).test()

    run_tool(test)


if __name__ == '__main__':
    main()
