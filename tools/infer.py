"""Detect (and optionally recognise) text in images and folders with a trained model.

    python tools/infer.py INPUT [INPUT ...] --config CONFIG --weights CKPT --out-dir DIR
        [--batch-size N] [--num-workers 2] [--device cpu] [--explain] [--rec REC_CONFIG --rec-weights REC_CKPT]
        [--backend onnxruntime (--weights MODEL.onnx)]
        [--force] [--cfg-options channels_last=True compile=True ...]

Writes DIR/preds/NAME.json (polygons, scores, texts) and DIR/vis/NAME.jpg per image, and with
--explain DIR/explain/NAME_score_map.jpg and NAME_visual_prompt.jpg (why TCM fired). Files that
are not readable images are reported, skipped and counted in the summary line. A DIR holding
an earlier run's results needs --force, which replaces them all.
"""
import argparse
import os.path as osp
import sys
import warnings

from mmengine.config import DictAction

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
if osp.isfile(osp.join(REPO, 'tcm', '__init__.py')):  # run from a checkout: use its tcm
    sys.path.insert(0, REPO)

from tcm.utils.cli import non_negative_int, positive_int  # noqa: E402  (the checkout's, if run from one)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('inputs', nargs='+', help='image files and folders')
    parser.add_argument('--config', required=True, help='detector config')
    parser.add_argument(
        '--weights',
        required=True,
        help='detector checkpoint (with --backend onnxruntime: its exported ONNX file)')
    parser.add_argument(
        '--backend',
        choices=['pytorch', 'onnxruntime'],
        default='pytorch',
        help='run the network in PyTorch or in ONNX Runtime (tools/deployment/export_onnx.py)')
    parser.add_argument('--out-dir', required=True)
    parser.add_argument('--batch-size', type=positive_int, default=1)
    parser.add_argument(
        '--num-workers',
        type=non_negative_int,
        default=2,
        help='processes that read and prepare images while the model runs (0: none)')
    parser.add_argument('--device', default='cpu')
    parser.add_argument(
        '--force', action='store_true', help='replace the results of an earlier run in --out-dir')
    parser.add_argument(
        '--explain',
        action='store_true',
        help='also draw the score map and the visual prompt (TCM models)')
    parser.add_argument('--rec', help='MMOCR text recognizer config, for end-to-end OCR')
    parser.add_argument('--rec-weights', help='text recognizer checkpoint')
    parser.add_argument(
        '--unsafe-load',
        action='store_true',
        help='unpickle arbitrary objects in checkpoints (can run code; trusted '
        'files only)')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override detector config entries, e.g. channels_last=True (faster on CPU)')
    args = parser.parse_args(argv)
    if bool(args.rec) != bool(args.rec_weights):
        sys.exit('error: --rec and --rec-weights go together')
    if args.explain and args.backend == 'onnxruntime':
        sys.exit('error: --explain needs --backend pytorch (the ONNX graph gives the head output '
                 'only, not the score map)')

    import tcm  # noqa: F401
    from tcm.apis import TextRecognizer, init_detector, list_images, run_inference
    from tcm.utils.cli import allow_unsafe_load, check_device, run_tool
    if args.unsafe_load:
        allow_unsafe_load()

    def infer():
        check_device(args.device)
        paths = list_images(args.inputs)
        recognizer = TextRecognizer(args.rec, args.rec_weights, args.device) if args.rec else None
        model = init_detector(args.config, args.weights, args.device, args.cfg_options,
                              args.backend)
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')  # skipped files are listed below instead
            summary = run_inference(
                model,
                paths,
                args.out_dir,
                args.batch_size,
                recognizer,
                args.explain,
                force=args.force,
                num_workers=args.num_workers)
        for path, reason in summary.skipped:
            print(f'skipped {path}: {reason}')
        print(f'{summary.line()}; results in {args.out_dir}')

    run_tool(
        infer,
        interrupted=lambda: f'interrupted; the results written so far are in '
        f'{args.out_dir} (run again with --force to redo them)')


if __name__ == '__main__':
    main()
