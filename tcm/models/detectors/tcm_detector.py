"""TCMDetector: any MMOCR single-stage text detector with a CLIP encoder and the TCM plug-in."""
import warnings
from typing import Dict, Optional, Sequence, Tuple

from mmocr.models.textdet.detectors import SingleStageTextDetector
from mmocr.models.textdet.detectors.base import BaseTextDetector
from mmocr.registry import MODELS
from mmocr.structures import TextDetDataSample
from torch import Tensor

from ...utils.precision import run_in_float32
from .tcm_plugin import TCM_PROMPT, TCMPlugin


@MODELS.register_module()
class TCMDetector(TCMPlugin, SingleStageTextDetector):
    """Backbone -> TCM -> neck -> det_head, for any MMOCR neck and text-detection head.

    The CLIP image encoder yields multi-level features plus global and dense
    embeddings. TCM conditions a learnable text prompt on the image (language
    prompt generator), encodes it with CLIP's text tower, nudges the dense
    embedding toward the text (visual prompt generator) and the text toward the
    image (text refiner), and matches the two into a score map that is
    concatenated to one backbone level before the neck. Training adds the
    auxiliary loss on the score map.

    Sizes that the CLIP towers fix are derived, so a config writes each once: the text
    tower's preset and joint width follow the image tower, the prompt generator and
    both context decoders take the joint and token widths, and the neck's input at
    ``score_concat_index`` gains the score-map channels (a neck config may count them
    already; any other value is an error).

    Module and parameter names follow the original release (``contexts``,
    ``gamma``, ``vis_gamma``, ``context_decoder``, ...), so its checkpoints map
    onto this class by renaming ``bbox_head.`` to ``det_head.`` only.

    Args:
        backbone: CLIP image encoder, e.g. ``CLIPResNetWithAttention``.
        text_encoder: TCM's text tower, ``CLIPTextContextEncoder``; its
            ``context_length`` is set to ``prompt_length + num_prompts``.
        det_head: Any MMOCR text-detection head.
        neck: Any MMOCR neck taking ``in_channels`` (the backbone's levels).
        prompt_generator: Language prompt generator (None disables it).
        visual_prompt_generator: Context decoder applied to the dense embedding
            (None disables it).
        context_decoder: Context decoder refining the text (None disables it).
        aux_loss: Loss on the score map (``TCMAuxLoss``), computed in float32; None
            trains without it.
        class_names: Prompt sentences, one score-map channel each.
        prompt_length: Token budget of a tokenized sentence, SOT and EOT included.
        num_prompts: Learnable context tokens inserted after SOT (4, 18 or 32).
        score_concat_index: Backbone level (in the backbone's output order, negative
            from the end) that receives the score map; it must have the dense
            embedding's size. Default: the last level (1/32).
        clip_pretrained: Local CLIP weights for both towers (sets their ``pretrained``).
        meta_query: True builds a ``FastTCMDetector`` (configs written before that class).
        data_preprocessor, init_cfg: As in MMOCR.
    """

    def __new__(cls, *args, **kwargs):
        if cls is TCMDetector and kwargs.get('meta_query'):  # FastTCM configs of before its class
            from .fasttcm_detector import FastTCMDetector
            warnings.warn("TCMDetector(meta_query=True) builds a FastTCMDetector; write "
                          "type='FastTCMDetector'")
            cls = FastTCMDetector
        return super().__new__(cls)

    def __init__(self,
                 backbone: Dict,
                 text_encoder: Dict,
                 det_head: Dict,
                 neck: Optional[Dict] = None,
                 prompt_generator: Optional[Dict] = dict(type='PromptGenerator'),
                 visual_prompt_generator: Optional[Dict] = dict(type='ContextDecoder'),
                 context_decoder: Optional[Dict] = dict(type='ContextDecoder'),
                 aux_loss: Optional[Dict] = dict(type='TCMAuxLoss'),
                 class_names: Sequence[str] = (TCM_PROMPT, ),
                 prompt_length: int = 14,
                 num_prompts: int = 4,
                 score_concat_index: int = -1,
                 clip_pretrained: Optional[str] = None,
                 meta_query: bool = False,
                 data_preprocessor: Optional[Dict] = None,
                 init_cfg: Optional[Dict] = None) -> None:
        if clip_pretrained:
            backbone = dict(backbone, pretrained=clip_pretrained)
            text_encoder = dict(text_encoder, pretrained=clip_pretrained)
        # SingleStageTextDetector's own steps (MMOCR 1.0.1, the last release, which the stack
        # pins), in its order, with the neck fitted to the backbone's levels in between.
        BaseTextDetector.__init__(self, data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        self.backbone = MODELS.build(backbone)
        self.score_concat_index = self._level_index(score_concat_index)
        if neck is not None:
            self.neck = MODELS.build(self._neck_with_score_channels(neck, len(class_names)))
        self.det_head = MODELS.build(det_head)

        self.build_tcm(backbone, text_encoder, prompt_generator, visual_prompt_generator,
                       context_decoder, aux_loss, class_names, prompt_length, num_prompts)

    def neck_features(self, levels: Tuple[Tensor, ...]):
        """What the head consumes: the neck applied to score-fused backbone levels."""
        return self.neck(levels) if self.with_neck else levels

    def extract_feat(self, inputs: Tensor):
        """Neck features of the score-fused backbone levels."""
        return self.neck_features(self.encode(inputs)[0])

    def predict(self,
                inputs: Tensor,
                data_samples: Sequence[TextDetDataSample],
                with_embeddings: bool = False) -> Sequence[TextDetDataSample]:
        """Predicted instances, plus each image's ``score_map`` ``(K, H/32, W/32)``.

        ``with_embeddings`` also stores ``image_embedding`` and ``prompted_embedding``
        ``(C, H/32, W/32)``, the dense CLIP embedding before and after the visual
        prompt (the paper's Fig. 7). All maps cover the padded network input.
        """
        levels, outputs = self.encode(inputs)
        samples = self.det_head.predict(self.neck_features(levels), data_samples)
        keys = ['score_map']
        if with_embeddings:
            keys += ['image_embedding', 'prompted_embedding']
        for i, sample in enumerate(samples):
            for key in keys:
                sample.set_field(outputs[key][i].detach(), key)
        return samples

    def loss(self, inputs: Tensor, data_samples: Sequence[TextDetDataSample]) -> Dict:
        """Head losses plus ``loss_aux``; the auxiliary targets are built first,
        because some head losses (DBNet's) modify the data samples."""
        levels, outputs = self.encode(inputs)
        losses = {} if self.aux_loss is None else run_in_float32(self.aux_loss,
                                                                 outputs['score_map'], data_samples)
        losses.update(self.det_head.loss(self.neck_features(levels), data_samples))
        return losses
