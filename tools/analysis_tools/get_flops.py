"""FLOPs and parameters of configs' networks (one multiply-add = one FLOP, as fvcore counts).

    python tools/analysis_tools/get_flops.py CONFIG [CONFIG ...] [--shape H W]
        [--cfg-options ...]

Prints per config the FLOPs of the tensor-mode forward of one H x W image and the parameters:
all, trainable and frozen (TCM's CLIP text tower is frozen).
"""
import argparse
import os.path as osp
import sys

from mmengine.config import DictAction

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
if osp.isfile(osp.join(REPO, 'tcm', '__init__.py')):  # run from a checkout: use its tcm
    sys.path.insert(0, REPO)

from tcm.utils.cli import positive_int  # noqa: E402  (the checkout's, if run from one)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('configs', nargs='+')
    parser.add_argument(
        '--shape', nargs=2, type=positive_int, default=[640, 640], metavar=('H', 'W'))
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override config entries of every config')
    args = parser.parse_args(argv)

    import tcm  # noqa: F401
    from tcm.analysis import complexity
    from tcm.utils.cli import run_tool

    def report():
        print(f'{"config":<52} {"input":>9} {"GFLOPs":>8} {"params M":>9} {"trainable":>9} '
              f'{"frozen":>7}')
        for config in args.configs:
            row = complexity(config, tuple(args.shape), args.cfg_options)
            print(f'{osp.basename(config):<52} {"x".join(map(str, args.shape)):>9} '
                  f'{row["flops"] / 1e9:8.3f} {row["all"] / 1e6:9.1f} '
                  f'{row["trainable"] / 1e6:9.1f} {row["frozen"] / 1e6:7.1f}')

    run_tool(report)


if __name__ == '__main__':
    main()
