"""TCM-Mask R-CNN: MMDetection's two-stage Mask R-CNN with a CLIP encoder and the TCM plug-in,
for MMOCR's ``MMDetWrapper``."""
from typing import Dict, Optional

from mmdet.models.detectors import MaskRCNN
from mmdet.registry import MODELS as MMDET_MODELS
from mmdet.structures import SampleList
from torch import Tensor

from ...utils.precision import run_in_float32
from .tcm_plugin import TCM_PROMPT, TCMPlugin


@MMDET_MODELS.register_module()
class TCMMaskRCNN(TCMPlugin, MaskRCNN):
    """Backbone -> TCM -> FPN -> RPN -> RoI heads.

    Where it differs from the single-stage :class:`TCMDetector`: the class lives in
    MMDetection's registry, since ``MMDetWrapper`` builds its detector there (the TCM parts
    are built in MMOCR's, and the backbone is ``mmocr.CLIPResNetWithAttention``); the score
    map joins the backbone level before the FPN, so every FPN level, and through them the
    RPN and the RoI heads, sees it; the auxiliary loss (``TCMMaskAuxLoss``) takes its
    targets from the instance masks of MMDetection's data samples instead of MMOCR's
    polygons, at the score map's resolution (whole regions, as TCM-FCENet's); and
    prediction gives MMDetection's samples, which ``MMDetWrapper`` turns into polygons, so
    the score map is read with :meth:`predict_score_map`.

    Args:
        backbone, neck, rpn_head, roi_head, train_cfg, test_cfg: As MMDetection's
            ``MaskRCNN``; ``neck.in_channels`` gains the score-map channels.
        text_encoder: TCM's text tower, ``mmocr.CLIPTextContextEncoder``.
        score_concat_index, clip_pretrained: As :class:`TCMDetector`'s.
        **tcm: :class:`TCMDetector`'s TCM arguments (``prompt_generator``,
            ``visual_prompt_generator``, ``context_decoder``, ``aux_loss``, ``class_names``,
            ``prompt_length``, ``num_prompts``).
    """

    def __init__(self,
                 backbone: Dict,
                 rpn_head: Dict,
                 roi_head: Dict,
                 train_cfg: Dict,
                 test_cfg: Dict,
                 text_encoder: Dict,
                 neck: Optional[Dict] = None,
                 score_concat_index: int = -1,
                 clip_pretrained: Optional[str] = None,
                 data_preprocessor: Optional[Dict] = None,
                 init_cfg: Optional[Dict] = None,
                 **tcm) -> None:
        if clip_pretrained:
            backbone = dict(backbone, pretrained=clip_pretrained)
            text_encoder = dict(text_encoder, pretrained=clip_pretrained)
        tcm.setdefault('aux_loss', dict(type='TCMMaskAuxLoss'))
        super().__init__(
            backbone=backbone,
            rpn_head=rpn_head,
            roi_head=roi_head,
            train_cfg=train_cfg,
            test_cfg=test_cfg,
            data_preprocessor=data_preprocessor,
            init_cfg=init_cfg)
        self.score_concat_index = self._level_index(score_concat_index)
        if neck is not None:
            num_scores = len(tcm.get('class_names', (TCM_PROMPT, )))
            self.neck = MMDET_MODELS.build(self._neck_with_score_channels(neck, num_scores))
        self.build_tcm(backbone, text_encoder, **tcm)

    def extract_feat(self, batch_inputs: Tensor):
        """FPN features of the score-fused backbone levels; in training the score map is kept
        for :meth:`loss`, whose base class calls this."""
        levels, outputs = self.encode(batch_inputs)
        if self.training:
            self._score_map = outputs['score_map']
        return self.neck(levels) if self.with_neck else levels

    def loss(self, batch_inputs: Tensor, batch_data_samples: SampleList) -> Dict:
        """Mask R-CNN's losses plus ``loss_aux`` on the score map."""
        losses = super().loss(batch_inputs, batch_data_samples)
        score_map = self.__dict__.pop('_score_map')
        if self.aux_loss is not None:
            losses.update(run_in_float32(self.aux_loss, score_map, batch_data_samples))
        return losses
