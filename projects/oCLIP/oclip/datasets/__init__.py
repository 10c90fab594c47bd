from .transforms import OCLIPTokenize, PackOCLIPInputs
from .words_dataset import OCLIPWordsDataset, clean_words

__all__ = ['OCLIPTokenize', 'OCLIPWordsDataset', 'PackOCLIPInputs', 'clean_words']
