"""oCLIP on MMOCR 1.x: importing it registers the pre-trainer, its decoder, its weak-label
dataset and transforms and its schedule in MMOCR's registries (configs: ``custom_imports = dict(imports=['oclip'])``, with ``projects/oCLIP`` on
the Python path). tcm's CLIP towers (``tcm.models.clip``) are registered by importing tcm."""
import tcm.models.clip  # noqa: F401  the towers the model builds

from .datasets import OCLIPTokenize, OCLIPWordsDataset, PackOCLIPInputs
from .models import OCLIP, VisualTextualDecoder, contrastive_loss
from .optim import WarmupCosineLR
from .tokenizer import SYNTHTEXT_DICT, CharTokenizer, read_characters

__all__ = [
    'CharTokenizer', 'OCLIP', 'OCLIPTokenize', 'OCLIPWordsDataset', 'PackOCLIPInputs',
    'SYNTHTEXT_DICT', 'VisualTextualDecoder', 'WarmupCosineLR', 'contrastive_loss',
    'read_characters'
]
