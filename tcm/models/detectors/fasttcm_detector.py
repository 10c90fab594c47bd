"""FastTCM: TCM whose text branch does not depend on the image, so inference computes it once."""
import itertools
from typing import Dict, Optional

import torch
from mmocr.registry import MODELS
from torch import Tensor, nn

from ...utils.errors import InputError
from ..tcm import TextBranchCache
from .tcm_detector import TCMDetector
from .tcm_plugin import _fitted

_DEFAULT = dict(type='BimodalSimilarityMatching')  # the default, told apart from a given value


@MODELS.register_module()
class FastTCMDetector(TCMDetector):
    """TCM with FastTCM's changes: the language prompt generator reads a learned meta query
    instead of the image, and bimodal similarity matching puts the image back into the text
    embedding after the text encoder.

    In eval mode without gradients the text branch (meta query -> prompt generator -> text
    encoder) is computed once and reused until one of its weights changes
    (:class:`~tcm.models.tcm.TextBranchCache`). Parameter names are the released ones
    (``meta_query``, ``bimodal_similarity.pix_w``).

    Args:
        bimodal_similarity: ``BimodalSimilarityMatching``, sized from the towers (None: off).
            Default: on; off for configs written as ``TCMDetector(meta_query=True)``, whose
            bimodal similarity was off unless they set it.
        meta_query: Given only by those configs (``TCMDetector`` builds this class for them);
            FastTCM always has the meta query.
        **kwargs: ``TCMDetector``'s arguments.
    """

    def __init__(self,
                 bimodal_similarity: Optional[Dict] = _DEFAULT,
                 meta_query: Optional[bool] = None,
                 **kwargs) -> None:
        if meta_query is False:
            raise InputError('FastTCMDetector always uses the meta query; for TCM without it '
                             "use type='TCMDetector'")
        if bimodal_similarity is _DEFAULT:
            bimodal_similarity = None if meta_query else dict(type='BimodalSimilarityMatching')
        super().__init__(**kwargs)
        embed_dim = self.backbone.output_dim
        self.meta_query = nn.Parameter(torch.randn(embed_dim))
        self.bimodal_similarity = self._build_optional(
            _fitted(
                bimodal_similarity,
                'bimodal_similarity',
                visual_dim=embed_dim,
                text_dim=self.text_encoder.embed_dim))
        self.text_cache = TextBranchCache()

    def _text_embedding(self, global_embedding: Tensor) -> Tensor:
        if self.training or torch.is_grad_enabled():
            self.text_cache.clear()
            text = self.encode_text(self.meta_query[None])
        else:
            device = self.meta_query.device.type  # an embedding made under autocast stays there
            precision = (torch.is_autocast_enabled(device), torch.get_autocast_dtype(device))
            text = self.text_cache.get(
                self._text_branch_tensors(),
                lambda: self.encode_text(self.meta_query[None]),
                context=precision)
        text = text.expand(global_embedding.shape[0], -1, -1)
        if self.bimodal_similarity is not None:
            text = self.bimodal_similarity(global_embedding, text)
        return text

    def _text_branch_tensors(self):
        modules = [self.text_encoder]
        if self.prompt_generator is not None:
            modules.append(self.prompt_generator)
        return itertools.chain([self.contexts, self.meta_query, self.texts],
                               *(m.parameters() for m in modules))

    def train(self, mode: bool = True) -> 'FastTCMDetector':
        self.text_cache.clear()
        return super().train(mode)
