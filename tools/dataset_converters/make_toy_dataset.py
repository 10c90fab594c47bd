"""Make tcm's synthetic text-detection set: ``python tools/dataset_converters/make_toy_dataset.py data/toy``."""
import argparse
import os.path as osp
import sys

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
if osp.isfile(osp.join(REPO, 'tcm', '__init__.py')):  # run from a checkout: use its tcm
    sys.path.insert(0, REPO)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('out_dir', help='dataset root to create, e.g. data/toy')
    parser.add_argument('--num-train', type=int, default=400)
    parser.add_argument('--num-test', type=int, default=50)
    parser.add_argument('--size', type=int, default=256, help='image side in pixels')
    parser.add_argument('--seed', type=int, default=0)
    args = parser.parse_args(argv)
    from tcm.datasets import make_toy_textdet
    try:
        make_toy_textdet(args.out_dir, args.num_train, args.num_test, args.size, args.seed)
    except FileExistsError as exc:
        sys.exit(f'error: {exc}')
    print(f'wrote {args.num_train} training and {args.num_test} test images to {args.out_dir}')


if __name__ == '__main__':
    main()
