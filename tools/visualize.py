"""Draw a TCM detector's predictions and its score map for some images.

``python tools/visualize.py CONFIG CHECKPOINT IMAGE [IMAGE ...] --out-dir DIR`` writes, per
image, DIR/<name>.jpg: predicted polygons (left) beside sigmoid(score map / tau) (right).
"""
import argparse
import os
import os.path as osp
import sys

import cv2
import numpy as np

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
if osp.isfile(osp.join(REPO, 'tcm', '__init__.py')):  # run from a checkout: use its tcm
    sys.path.insert(0, REPO)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config')
    parser.add_argument('checkpoint')
    parser.add_argument('images', nargs='+')
    parser.add_argument('--out-dir', required=True)
    parser.add_argument('--device', default='cpu')
    args = parser.parse_args(argv)
    for path in [args.config, args.checkpoint, *args.images]:
        if not osp.isfile(path):
            sys.exit(f'error: file not found: {path}')

    import tcm  # noqa: F401
    from tcm.apis import detect, init_detector
    from tcm.visualization import draw_polygons, score_map_overlay

    model = init_detector(args.config, args.checkpoint, args.device)
    tau = getattr(model.aux_loss, 'tau', 0.07) if getattr(model, 'aux_loss', None) else 0.07
    os.makedirs(args.out_dir, exist_ok=True)
    for path in args.images:
        image = cv2.imread(path)
        if image is None:
            sys.exit(f'error: not a readable image: {path}')
        sample = detect(model, [path])[0]
        panels = [draw_polygons(image, sample)]
        if 'score_map' in sample:
            panels.append(score_map_overlay(image, sample, tau))
        out = osp.join(args.out_dir, osp.splitext(osp.basename(path))[0] + '.jpg')
        cv2.imwrite(out, np.concatenate(panels, axis=1))
    print(f'wrote {len(args.images)} visualizations to {args.out_dir}')


if __name__ == '__main__':
    main()
