"""Time text detectors or recognizers: median latency, throughput and the ratio to the first.

    python tools/analysis_tools/benchmark.py CONFIG [CONFIG ...] [--shape H W] [--batch-size N]
        [--runs 10] [--warmup 2] [--device cpu|cuda] [--amp [--amp-dtype bfloat16]]
        [--channels-last] [--compile] [--backend pytorch onnxruntime]

Detectors need --shape (divisible by 32) and report images/s; recognizers read crops of their
test pipeline's size unless --shape is given and report words/s (batch size x batches/s).
Models get random weights (speed does not depend on them, except post-processing and a
recognizer's early stop, which see whatever the random model predicts). Runs are interleaved
(A B A B ...); CUDA is synchronised. Configs may be paths or package::path (mmocr::textrecog/...);
project configs find their package (tcm.utils.read_config). --backend onnxruntime runs the same
random network exported to ONNX (detectors; tools/deployment/export_onnx.py), with MMOCR's
post-processing in Python; several backends give one row per config and backend.
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
    parser.add_argument('configs', nargs='+')
    parser.add_argument('--shape', nargs=2, type=positive_int, metavar=('H', 'W'))
    parser.add_argument('--batch-size', type=positive_int, default=1)
    parser.add_argument('--runs', type=positive_int, default=10)
    parser.add_argument('--warmup', type=int, default=2)
    parser.add_argument('--device', default='cpu')
    parser.add_argument('--amp', action='store_true', help='autocast: fp16 on CUDA, bf16 on CPU')
    parser.add_argument(
        '--amp-dtype', choices=('float16', 'bfloat16'), help='the autocast type instead')
    parser.add_argument('--channels-last', action='store_true', help='NHWC weights (all configs)')
    parser.add_argument(
        '--compile', action='store_true', help='torch.compile the networks (all configs)')
    parser.add_argument(
        '--backend',
        nargs='+',
        choices=('pytorch', 'onnxruntime'),
        default=['pytorch'],
        help='where the network runs (several: each config on each, interleaved)')
    args = parser.parse_args(argv)
    for config in args.configs:
        if '::' not in config and not osp.isfile(config):  # mmocr::... is found by MMEngine
            sys.exit(f'error: config file not found: {config}')
    if args.amp_dtype and not args.amp:
        sys.exit('error: --amp-dtype needs --amp')
    if args.warmup < 0:
        parser.error(f'argument --warmup: {args.warmup} is negative')

    import tcm  # noqa: F401
    from tcm.analysis import benchmark
    from tcm.utils.cli import check_device, run_tool

    def report():
        check_device(args.device)
        results = benchmark(
            args.configs,
            args.shape,
            args.runs,
            args.warmup,
            args.device,
            args.amp,
            args.channels_last,
            args.compile,
            args.amp_dtype,
            args.batch_size,
            backends=args.backend)
        switches = [name for name in ('amp', 'channels_last', 'compile') if getattr(args, name)]
        if args.amp_dtype:
            switches.insert(1, args.amp_dtype)
        unit = 'words/s' if results[0]['recognizer'] else 'FPS'
        print(f'{" ".join([args.device] + switches)}, batch {args.batch_size}, median of '
              f'{args.runs} interleaved runs')
        print(f'{"config":<52} {"backend":<11} {"input":>9} {"model ms":>9} {unit:>8} {"ratio":>6} '
              f'{"+post ms":>9} {unit:>8} {"ratio":>6}')
        first = results[0]
        for row in results:
            cells = [
                f'{osp.basename(row["config"]):<52}', f'{row["backend"]:<11}',
                f'{"x".join(map(str, row["shape"])):>9}'
            ]
            for key in ('model', 'postprocess'):
                cells += [
                    f'{row[key] * 1e3:9.1f}', f'{args.batch_size / row[key]:8.2f}',
                    f'{row[key] / first[key]:6.3f}'
                ]
            print(' '.join(cells))

    run_tool(report)


if __name__ == '__main__':
    main()
