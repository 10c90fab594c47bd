"""Export a detector's network to ONNX and check it against PyTorch in ONNX Runtime.

    python tools/deployment/export_onnx.py CONFIG CHECKPOINT OUT.onnx [--shape H W] [--force]
        [--cfg-options ...]

The graph is the tensor-mode forward (backbone, TCM, neck, head; MMOCR's post-processing stays
in Python) with a dynamic batch, height and width (multiples of 32). After writing OUT.onnx
(atomically), the tool runs it in ONNX Runtime on two random inputs of other sizes and prints
the largest difference from PyTorch; above --atol (default 1e-4) it fails and removes the file.
Serve the file with tools/infer.py --backend onnxruntime --weights OUT.onnx.
"""
import argparse
import os
import os.path as osp
import sys

from mmengine.config import DictAction

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
if osp.isfile(osp.join(REPO, 'tcm', '__init__.py')):  # run from a checkout: use its tcm
    sys.path.insert(0, REPO)

from tcm.utils.cli import positive_int  # noqa: E402  (the checkout's, if run from one)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config')
    parser.add_argument('checkpoint')
    parser.add_argument('out', help='the ONNX file to write')
    parser.add_argument(
        '--shape',
        nargs=2,
        type=positive_int,
        default=[640, 640],
        metavar=('H', 'W'),
        help='example input size to trace with (multiples of 32; default 640 640)')
    parser.add_argument('--opset', type=positive_int, default=18)
    parser.add_argument('--atol', type=float, default=1e-4)
    parser.add_argument('--force', action='store_true', help='overwrite OUT')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    args = parser.parse_args(argv)

    import tcm  # noqa: F401
    from tcm.apis import init_detector
    from tcm.deployment import export_onnx, onnx_difference
    from tcm.utils import InputError
    from tcm.utils.cli import run_tool

    def export():
        h, w = args.shape
        if h % 32 or w % 32:
            raise InputError(f'--shape {h} {w}: not divisible by 32')
        if osp.exists(args.out) and not args.force:
            raise FileExistsError(f'{args.out} exists; pass --force to overwrite it')
        model = init_detector(args.config, args.checkpoint, 'cpu', args.cfg_options)
        export_onnx(model, args.out, (h, w), args.opset)
        shapes = [(1, 3, h + 32, w), (2, 3, h, w + 64)]
        difference = onnx_difference(model, args.out, shapes)
        if difference > args.atol:
            os.remove(args.out)
            raise InputError(f'{args.out}: ONNX Runtime differs from PyTorch by {difference:.2e} '
                             f'(> --atol {args.atol:g}); the file was removed')
        print(f'wrote {args.out}: ONNX Runtime within {difference:.1e} of PyTorch at ' +
              ', '.join(f'{b}x{hh}x{ww}' for b, _, hh, ww in shapes))

    run_tool(export, checkpoint=lambda: args.checkpoint)


if __name__ == '__main__':
    main()
