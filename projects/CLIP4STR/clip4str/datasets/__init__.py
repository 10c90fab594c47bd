from .empty_crop import GuardEmptyCrop
from .label_filter import FilteredOCRDataset, clean_label
from .lmdb_dataset import FilteredRecogLMDBDataset, LMDBTreeDataset, lmdb_dirs
from .rand_augment import CLIP4STRRandAugment

__all__ = [
    'CLIP4STRRandAugment', 'GuardEmptyCrop', 'FilteredOCRDataset', 'FilteredRecogLMDBDataset',
    'LMDBTreeDataset', 'clean_label', 'lmdb_dirs'
]
