"""The TCM plug-in, one concept per file, named as in the paper."""
from .aux_loss import TCMAuxLoss, legacy_balanced_bce
from .bimodal_similarity import BimodalSimilarityMatching
from .context_decoder import ContextDecoder
from .legacy_checkpoint import (LEGACY_RENAMES, convert_legacy_checkpoint, guess_headline_config,
                                legacy_state_dict, legacy_variant)
from .mask_aux_loss import TCMMaskAuxLoss
from .matching import instance_language_score
from .prompt_generator import PromptGenerator
from .text_branch_cache import TextBranchCache
from .text_context_encoder import CLIPTextContextEncoder

__all__ = [
    'BimodalSimilarityMatching', 'CLIPTextContextEncoder', 'ContextDecoder', 'LEGACY_RENAMES',
    'PromptGenerator', 'TCMAuxLoss', 'TCMMaskAuxLoss', 'TextBranchCache',
    'convert_legacy_checkpoint', 'guess_headline_config', 'instance_language_score',
    'legacy_balanced_bce', 'legacy_state_dict', 'legacy_variant'
]
