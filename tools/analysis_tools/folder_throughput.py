"""Time tools/infer.py over a folder against the network alone on the same input size.

    python tools/analysis_tools/folder_throughput.py CONFIG [CONFIG ...]
        (--folder DIR | --images N [--size W H]) [--batch-size 1] [--num-workers 2 0]
        [--rounds 3] [--device cpu|cuda] [--cfg-options ...]

Per config, seconds per image of the network (tensor mode, on the folder's first batch as the
data preprocessor pads it) and of the whole inference run (reading, test pipeline, network,
post-processing, drawing, writing) with each worker count, median of the interleaved rounds,
and the ratio to the network alone. --images N makes N synthetic JPEG photos of --size
(default 1280x720, the ICDAR images' size). Models get random weights.
"""
import argparse
import os.path as osp
import sys
import tempfile

from mmengine.config import DictAction

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
if osp.isfile(osp.join(REPO, 'tcm', '__init__.py')):  # run from a checkout: use its tcm
    sys.path.insert(0, REPO)

from tcm.utils.cli import non_negative_int, positive_int  # noqa: E402


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('configs', nargs='+')
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument('--folder', help='images to read')
    source.add_argument('--images', type=positive_int, help='make this many synthetic photos')
    parser.add_argument(
        '--size', nargs=2, type=positive_int, default=(1280, 720), metavar=('W', 'H'))
    parser.add_argument('--batch-size', type=positive_int, default=1)
    parser.add_argument('--num-workers', nargs='+', type=non_negative_int, default=[2, 0])
    parser.add_argument('--rounds', type=positive_int, default=3)
    parser.add_argument('--device', default='cpu')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    args = parser.parse_args(argv)
    for config in args.configs:
        if not osp.isfile(config):
            sys.exit(f'error: config file not found: {config}')

    import tcm  # noqa: F401
    from tcm.analysis import folder_throughput, synthetic_photos
    from tcm.utils.cli import check_device, run_tool

    def report():
        check_device(args.device)
        with tempfile.TemporaryDirectory() as folder:
            images = [args.folder] if args.folder else synthetic_photos(
                folder, args.images, tuple(args.size))
            rows = folder_throughput(args.configs, images, args.batch_size, args.num_workers,
                                     args.rounds, args.device, args.cfg_options)
        print(f'{args.device}, batch {args.batch_size}, median of {args.rounds} interleaved '
              'rounds; seconds per image')
        header = [f'{"config":<52}', f'{"input":>9}', f'{"model ms":>9}']
        header += [f'{f"infer w={w} ms":>15} {"ratio":>6}' for w in args.num_workers]
        print(' '.join(header))
        for row in rows:
            cells = [
                f'{osp.basename(row["config"]):<52}', f'{"x".join(map(str, row["shape"])):>9}',
                f'{row["model"] * 1e3:9.1f}'
            ]
            cells += [
                f'{row["infer"][w] * 1e3:15.1f} {row["infer"][w] / row["model"]:6.3f}'
                for w in args.num_workers
            ]
            print(' '.join(cells))

    run_tool(report)


if __name__ == '__main__':
    main()
