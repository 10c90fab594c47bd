from .charset import LOWERCASE_ALPHANUMERIC, CharsetAdapter
from .clip4str import CLIP4STR
from .data_preprocessor import CLIP4STRDataPreprocessor
from .parseq_decoder import PARSeqDecoder
from .permutations import generate_permutations, permutation_masks

__all__ = [
    'CLIP4STR', 'CLIP4STRDataPreprocessor', 'CharsetAdapter', 'LOWERCASE_ALPHANUMERIC',
    'PARSeqDecoder', 'generate_permutations', 'permutation_masks'
]
