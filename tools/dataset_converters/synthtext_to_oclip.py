"""Write oCLIP's weak labels for SynthText: each image's words from gt.mat, one TSV row each.

    python tools/dataset_converters/synthtext_to_oclip.py SynthText/gt.mat \
        data/oclip/synthtext/train_words.tsv [--force]

Rows hold the image path relative to the folder of gt.mat (``8/ballet_106_0.jpg``), so the
recipe's data_root is that folder; words are the image's ``txt`` lines split on whitespace.
Words the dictionary cannot spell are dropped, and counted, when the dataset reads the file.
"""
import argparse
import os.path as osp
import sys

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
if osp.isfile(osp.join(REPO, 'tcm', '__init__.py')):  # run from a checkout: use its tcm
    sys.path.insert(0, REPO)
sys.path.insert(0, osp.join(REPO, 'projects', 'oCLIP'))


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('gt_mat', help="SynthText's gt.mat")
    parser.add_argument('out_file', help='the TSV to write')
    parser.add_argument('--force', action='store_true', help='overwrite OUT_FILE if it exists')
    args = parser.parse_args(argv)
    from oclip.datasets.synthtext import synthtext_words, write_words_tsv

    from tcm.utils.cli import run_tool

    def convert():
        count = write_words_tsv(synthtext_words(args.gt_mat), args.out_file, args.force)
        print(f'wrote {count} images with their words to {args.out_file}')

    run_tool(convert)


if __name__ == '__main__':
    main()
