"""Make tcm's synthetic sets: scenes for detection
(``python tools/dataset_converters/make_toy_dataset.py data/toy``) or word crops for
recognition (``... --task textrecog data/toy_words``)."""
import argparse
import os.path as osp
import sys

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
if osp.isfile(osp.join(REPO, 'tcm', '__init__.py')):  # run from a checkout: use its tcm
    sys.path.insert(0, REPO)

from tcm.utils.cli import positive_int  # noqa: E402  (the checkout's, if run from one)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('out_dir', help='dataset root to create, e.g. data/toy')
    parser.add_argument('--task', choices=['textdet', 'textrecog'], default='textdet')
    parser.add_argument('--num-train', type=positive_int, help='default: 400 scenes or 4000 crops')
    parser.add_argument('--num-test', type=positive_int, help='default: 50 scenes or 300 crops')
    parser.add_argument('--size', type=positive_int, default=256, help='scene side in pixels')
    parser.add_argument('--seed', type=int, default=0)
    args = parser.parse_args(argv)
    from tcm.datasets import make_toy_textdet, make_toy_textrecog
    scenes = args.task == 'textdet'
    num_train = (400 if scenes else 4000) if args.num_train is None else args.num_train
    num_test = (50 if scenes else 300) if args.num_test is None else args.num_test
    try:
        if scenes:
            make_toy_textdet(args.out_dir, num_train, num_test, args.size, args.seed)
        else:
            make_toy_textrecog(args.out_dir, num_train, num_test, args.seed)
    except FileExistsError as exc:
        sys.exit(f'error: {exc}')
    print(f'wrote {num_train} training and {num_test} test images to {args.out_dir}')


if __name__ == '__main__':
    main()
