"""CLIP4STR's LMDB data: MMOCR's ``RecogLMDBDataset`` with the label filter and checks that name
the file and key of bad records, and every LMDB under a folder as one dataset."""
import glob
import os.path as osp
import warnings
from typing import Any, List, Optional

import lmdb
import mmcv
from mmocr.datasets import ConcatDataset, RecogLMDBDataset
from mmocr.registry import DATASETS

from tcm.utils import InputError

from .label_filter import LabelFilterMixin


@DATASETS.register_module()
class FilteredRecogLMDBDataset(LabelFilterMixin, RecogLMDBDataset):
    """MMOCR's ``RecogLMDBDataset`` (PARSeq's and CLIP4STR's LMDB layout) with the label filter.

    A folder that is not an LMDB, or one without ``num-samples`` or with a missing or
    non-UTF-8 label, is an error before training starts. An image record that is missing or
    does not decode is skipped with a warning in training (another sample is drawn) and is an
    error in testing, where skipping would change the score. Each names the folder and key.

    Args:
        charset: Characters labels keep.
        max_label_length: Longer labels are left out (25).
        **kwargs: ``RecogLMDBDataset``'s arguments.
    """

    def __init__(self, charset: str, max_label_length: int = 25, **kwargs) -> None:
        self._init_filter(charset, max_label_length)
        super().__init__(**kwargs)

    def _make_env(self) -> None:
        if hasattr(self, 'env'):
            return
        if not osp.isfile(osp.join(self.ann_file, 'data.mdb')):
            raise InputError(f'{self.ann_file}: not an LMDB folder (no data.mdb)')
        try:
            self.env = lmdb.open(
                self.ann_file,
                max_readers=1,
                readonly=True,
                lock=False,
                readahead=False,
                meminit=False)
        except lmdb.Error as exc:
            raise InputError(f'{self.ann_file}: not a readable LMDB ({exc})') from None

    def _read(self, txn, key: str) -> str:
        value = txn.get(key.encode())
        if value is None:
            raise InputError(f'{self.ann_file}: key {key} is missing')
        try:
            return value.decode('utf-8')
        except UnicodeDecodeError:
            raise InputError(f'{self.ann_file}: key {key} is not UTF-8 text') from None

    def load_data_list(self) -> List[dict]:
        self._make_env()
        with self.env.begin(write=False) as txn:
            count = self._read(txn, 'num-samples')
            if not count.strip().isdigit():
                raise InputError(f'{self.ann_file}: num-samples is {count[:20]!r}, not a count')
            self.total_number = int(count)
            return [
                self.parse_data_info((f'image-{i:09d}', self._read(txn, f'label-{i:09d}')))
                for i in range(1, self.total_number + 1)
            ]

    def prepare_data(self, idx: int) -> Any:
        info = self.get_data_info(idx)
        with self.env.begin(write=False) as txn:
            data = txn.get(info['img_key'].encode())
        img = None
        if data:
            try:
                img = mmcv.imfrombytes(data, flag=self.color_type)
            except Exception:  # cv2 raises on some truncated encodings, returns None on others
                img = None
        if img is None or img.size == 0:
            why = 'is missing' if data is None else 'is not a decodable image'
            message = f'{self.ann_file}: key {info["img_key"]} {why}'
            if self.test_mode:
                raise InputError(message)
            warnings.warn(message + '; skipped')
            return None
        info['img'] = img
        return self.pipeline(info)


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
