from .losses import contrastive_loss, gather_local_first
from .oclip import OCLIP
from .visual_textual_decoder import VisualTextualDecoder

__all__ = ['OCLIP', 'VisualTextualDecoder', 'contrastive_loss', 'gather_local_first']
