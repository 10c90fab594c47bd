"""The PANet head of MMOCR 0.4, which the original TCM-PANet checkpoints were trained with."""
from typing import Dict, List, Optional, Sequence, Union

import torch
from mmocr.models.textdet.heads import BaseTextDetHead
from mmocr.registry import MODELS
from mmocr.structures import TextDetDataSample
from torch import Tensor, nn


@MODELS.register_module()
class LegacyPANHead(BaseTextDetHead):
    """Concatenated FPEM-FFM features -> one 1x1 convolution (``out_conv``).

    MMOCR 1.x's ``PANHead`` adds a 3x3 convolution, BN and ReLU before the
    classifier, so 0.4 weights do not fit it; this head keeps 0.4's layout and
    works with MMOCR 1.x's ``PANModuleLoss`` and ``PANPostprocessor``.
    """

    def __init__(
        self,
        in_channels: Sequence[int],
        out_channel: int = 6,
        module_loss: Dict = dict(type='PANModuleLoss'),
        postprocessor: Dict = dict(type='PANPostprocessor', text_repr_type='poly'),
        init_cfg: Optional[Union[Dict, List[Dict]]] = dict(
            type='Normal', mean=0, std=0.01, layer='Conv2d')
    ) -> None:
        super().__init__(module_loss=module_loss, postprocessor=postprocessor, init_cfg=init_cfg)
        self.out_conv = nn.Conv2d(sum(in_channels), out_channel, kernel_size=1)

    def forward(self,
                inputs: Union[Tensor, Sequence[Tensor]],
                data_samples: Optional[List[TextDetDataSample]] = None) -> Tensor:
        """``(N, sum(in_channels), H, W)`` features (or their tuple) -> ``(N, out_channel, H, W)``."""
        if isinstance(inputs, (tuple, list)):
            inputs = torch.cat(inputs, dim=1)
        return self.out_conv(inputs)
