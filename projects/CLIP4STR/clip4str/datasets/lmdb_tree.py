"""Every LMDB under a folder as one dataset: how the original reads ``train/real``, ``val``."""
import glob
import os.path as osp
from typing import List, Optional

from mmocr.datasets import ConcatDataset
from mmocr.registry import DATASETS

from tcm.utils import InputError


def lmdb_dirs(root: str) -> List[str]:
    """The folders under ``root`` (itself included) that hold a ``data.mdb``, sorted."""
    if not osp.isdir(root):
        raise InputError(f'{root}: no such folder (the LMDB datasets go there)')
    found = sorted(
        osp.dirname(p) for p in glob.glob(osp.join(root, '**', 'data.mdb'), recursive=True))
    if not found:
        raise InputError(f'{root}: no LMDB (data.mdb) in it or below it')
    return found


@DATASETS.register_module()
class LMDBTreeDataset(ConcatDataset):
    """The :class:`FilteredRecogLMDBDataset` of every LMDB folder under ``data_root``,
    concatenated, as PARSeq's and CLIP4STR's ``build_tree_dataset``.

    Args:
        data_root: Folder holding LMDBs at any depth (e.g. ``data/clip4str/train/real``).
        charset, max_label_length: The label filter's.
        pipeline: Each sample's transforms.
        test_mode: As in MMOCR's datasets.
        lazy_init: Defer reading the LMDBs' labels until first use.
    """

    def __init__(self,
                 data_root: str,
                 charset: str,
                 max_label_length: int = 25,
                 pipeline: Optional[list] = None,
                 test_mode: bool = False,
                 lazy_init: bool = False) -> None:
        self.roots = lmdb_dirs(data_root)
        datasets = [
            dict(
                type='FilteredRecogLMDBDataset',
                ann_file=root,
                charset=charset,
                max_label_length=max_label_length,
                pipeline=pipeline or [],
                test_mode=test_mode,
                lazy_init=lazy_init) for root in self.roots
        ]
        super().__init__(datasets, lazy_init=lazy_init)
