"""Where one training iteration's time goes, on CPU, with synthetic images and text boxes.

    python tools/analysis_tools/train_time_split.py CONFIG [--batch-size 2] [--shape 640 640]
"""
import argparse
import os.path as osp
import sys

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
if osp.isfile(osp.join(REPO, 'tcm', '__init__.py')):  # run from a checkout: use its tcm
    sys.path.insert(0, REPO)

from tcm.utils.cli import positive_int  # noqa: E402  (the checkout's, if run from one)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config')
    parser.add_argument('--batch-size', type=positive_int, default=2)
    parser.add_argument(
        '--shape', nargs=2, type=positive_int, default=[640, 640], metavar=('H', 'W'))
    parser.add_argument('--runs', type=positive_int, default=3)
    args = parser.parse_args(argv)
    if not osp.isfile(args.config):
        sys.exit(f'error: config file not found: {args.config}')
    import tcm  # noqa: F401
    from tcm.analysis import train_step_split
    from tcm.utils.errors import InputError
    try:
        split = train_step_split(args.config, args.batch_size, args.shape, args.runs)
    except InputError as exc:
        sys.exit(f'error: {exc}')
    total = sum(split.values())
    print(f'batch {args.batch_size}, {args.shape[0]}x{args.shape[1]}, median of {args.runs}:')
    for key, value in split.items():
        print(f'  {key:<12} {value * 1e3:9.1f} ms  {value / total:6.1%}')
    print(f'  {"total":<12} {total * 1e3:9.1f} ms')


if __name__ == '__main__':
    main()
