"""The TCM plug-in, one concept per file, named as in the paper."""
from .aux_loss import TCMAuxLoss, legacy_balanced_bce
from .bimodal_similarity import BimodalSimilarityMatching
from .context_decoder import ContextDecoder
from .matching import instance_language_score
from .ohem_dice_loss import OHEMDiceWithLogitsLoss
from .prompt_generator import PromptGenerator

__all__ = [
    'BimodalSimilarityMatching', 'ContextDecoder', 'OHEMDiceWithLogitsLoss', 'PromptGenerator',
    'TCMAuxLoss', 'instance_language_score', 'legacy_balanced_bce'
]
