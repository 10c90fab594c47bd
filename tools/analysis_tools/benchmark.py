"""Time text detectors on one input size: median latency, FPS and the ratio to the first config.

    python tools/analysis_tools/benchmark.py CONFIG [CONFIG ...] --shape 736 1312 \
        [--runs 10] [--warmup 2] [--device cpu|cuda] [--amp [--amp-dtype bfloat16]]
        [--channels-last] [--compile]

Models get random weights (speed does not depend on them, except post-processing, which sees
whatever the random model predicts). Runs are interleaved (A B A B ...); CUDA is synchronised.
"""
import argparse
import os.path as osp
import sys

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
if osp.isfile(osp.join(REPO, 'tcm', '__init__.py')):  # run from a checkout: use its tcm
    sys.path.insert(0, REPO)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('configs', nargs='+')
    parser.add_argument('--shape', nargs=2, type=int, default=[736, 1312], metavar=('H', 'W'))
    parser.add_argument('--runs', type=int, default=10)
    parser.add_argument('--warmup', type=int, default=2)
    parser.add_argument('--device', default='cpu')
    parser.add_argument('--amp', action='store_true', help='autocast: fp16 on CUDA, bf16 on CPU')
    parser.add_argument(
        '--amp-dtype', choices=('float16', 'bfloat16'), help='the autocast type instead')
    parser.add_argument('--channels-last', action='store_true', help='NHWC weights (all configs)')
    parser.add_argument(
        '--compile', action='store_true', help='torch.compile the networks (all configs)')
    args = parser.parse_args(argv)
    for config in args.configs:
        if not osp.isfile(config):
            sys.exit(f'error: config file not found: {config}')
    if args.shape[0] % 32 or args.shape[1] % 32:
        sys.exit(f'error: --shape {args.shape[0]} {args.shape[1]} must be divisible by 32')
    if args.amp_dtype and not args.amp:
        sys.exit('error: --amp-dtype needs --amp')

    import tcm  # noqa: F401
    from tcm.analysis import benchmark
    results = benchmark(args.configs, args.shape, args.runs, args.warmup, args.device, args.amp,
                        args.channels_last, args.compile, args.amp_dtype)
    switches = [name for name in ('amp', 'channels_last', 'compile') if getattr(args, name)]
    if args.amp_dtype:
        switches.insert(1, args.amp_dtype)
    print(f'{" ".join([args.device] + switches)}, batch 1, {args.shape[0]}x{args.shape[1]}, '
          f'median of {args.runs} interleaved runs')
    print(f'{"config":<58} {"model ms":>9} {"FPS":>6} {"ratio":>6} {"+post ms":>9} {"FPS":>6} '
          f'{"ratio":>6}')
    first = results[0]
    for row in results:
        print(
            f'{osp.basename(row["config"]):<58} {row["model"] * 1e3:9.1f} {1 / row["model"]:6.2f} '
            f'{row["model"] / first["model"]:6.3f} {row["postprocess"] * 1e3:9.1f} '
            f'{1 / row["postprocess"]:6.2f} {row["postprocess"] / first["postprocess"]:6.3f}')


if __name__ == '__main__':
    main()
