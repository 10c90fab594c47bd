"""Convert MSRA-TD500 (optionally with HUST-TR400 for training) to MMOCR's textdet layout.

    python tools/dataset_converters/td500_converter.py MSRA-TD500 data/td500 [--hust-tr400 HUST-TR400]

MSRA-TD500 is the unpacked official archive (``train/`` and ``test/`` with ``IMG_*.JPG`` and
``IMG_*.gt``); HUST-TR400 is the folder of its images and ``.gt`` files. The original TCM
trained on TD500 train + HUST-TR400. HUST-TR400's images are written as ``tr400_<name>``, so
that an image never overwrites a TD500 image of the same name; a box with a NaN or infinite
value is skipped with a warning naming its ``.gt`` file and line.
"""
import argparse
import os.path as osp
import sys

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
if osp.isfile(osp.join(REPO, 'tcm', '__init__.py')):  # run from a checkout: use its tcm
    sys.path.insert(0, REPO)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('td500_root', help='unpacked MSRA-TD500 (with train/ and test/)')
    parser.add_argument('out_dir', help='dataset root to create, e.g. data/td500')
    parser.add_argument('--hust-tr400', help='HUST-TR400 folder, added to the training split')
    args = parser.parse_args(argv)
    from tcm.datasets import convert_td500
    try:
        counts = convert_td500(args.td500_root, args.out_dir, args.hust_tr400)
    except (OSError, ValueError) as exc:
        sys.exit(f'error: {exc}')
    print(f'wrote {counts["train"]} training and {counts["test"]} test images to {args.out_dir}')


if __name__ == '__main__':
    main()
