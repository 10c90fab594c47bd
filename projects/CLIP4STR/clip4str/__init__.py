"""CLIP4STR on MMOCR 1.x: importing it registers the recognizer, its decoder and data
preprocessor, its RandAugment, datasets with its label filter, and its optimizer groups and
schedule in MMOCR's registries (configs: ``custom_imports = dict(imports=['clip4str'])``, with
``projects/CLIP4STR`` on the Python path)."""
import os.path as osp

from .datasets import (CLIP4STRRandAugment, FilteredOCRDataset, FilteredRecogLMDBDataset,
                       LMDBTreeDataset)
from .models import CLIP4STR, CharsetAdapter, CLIP4STRDataPreprocessor, PARSeqDecoder
from .optim import CLIP4STROptimWrapperConstructor, GroupOneCycleLR

#: The 94-character training charset, in the order of CLIP4STR's released checkpoints.
CHARSET_94 = osp.join(osp.dirname(osp.abspath(__file__)), 'dicts', 'english_digits_symbols_94.txt')

__all__ = [
    'CHARSET_94', 'CLIP4STR', 'CLIP4STRDataPreprocessor', 'CLIP4STROptimWrapperConstructor',
    'CLIP4STRRandAugment', 'CharsetAdapter', 'FilteredOCRDataset', 'FilteredRecogLMDBDataset',
    'GroupOneCycleLR', 'LMDBTreeDataset', 'PARSeqDecoder'
]
