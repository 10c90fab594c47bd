"""TCMDetector: any MMOCR single-stage text detector with a CLIP encoder and the TCM plug-in."""
import warnings
from typing import Dict, Optional, Sequence, Tuple

import torch
from mmocr.models.textdet.detectors import SingleStageTextDetector
from mmocr.models.textdet.detectors.base import BaseTextDetector
from mmocr.registry import MODELS
from mmocr.structures import TextDetDataSample
from torch import Tensor, nn

from ...utils.errors import InputError
from ...utils.precision import run_in_float32
from ..clip import tokenize_prompts
from ..tcm import instance_language_score

TCM_PROMPT = 'the pixels of many arbitrary-shape text instances.'


def _fitted(cfg: Optional[Dict], what: str, **sizes: int) -> Optional[Dict]:
    """``cfg`` with the sizes the towers fix; an explicit value that disagrees is an error."""
    if cfg is None:
        return None
    for key, value in sizes.items():
        if key in cfg and cfg[key] != value:
            raise InputError(f'{what}.{key}={cfg[key]} does not fit the CLIP towers, which give '
                             f'{value}; leave it out (TCMDetector derives it)')
    return dict(cfg, **sizes)


@MODELS.register_module()
class TCMDetector(SingleStageTextDetector):
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

        embed_dim = self.backbone.output_dim
        self.text_encoder = MODELS.build(
            dict(
                _fitted(text_encoder, 'text_encoder', embed_dim=embed_dim),
                context_length=prompt_length + num_prompts,
                preset=text_encoder.get('preset', backbone.get('preset', 'RN50'))))
        width = self.text_encoder.width
        self.prompt_generator = self._build_optional(
            _fitted(
                prompt_generator, 'prompt_generator', visual_dim=embed_dim, token_embed_dim=width))
        self.visual_prompt_generator = self._build_optional(
            _fitted(visual_prompt_generator, 'visual_prompt_generator', visual_dim=embed_dim))
        self.context_decoder = self._build_optional(
            _fitted(context_decoder, 'context_decoder', visual_dim=embed_dim))
        self.aux_loss = self._build_optional(aux_loss)
        self.register_buffer(
            'texts', tokenize_prompts(class_names, prompt_length), persistent=False)

        contexts = torch.empty(1, num_prompts, width)
        nn.init.trunc_normal_(contexts)  # std 1, as the original (large next to CLIP tokens)
        self.contexts = nn.Parameter(contexts)
        self.gamma = nn.Parameter(torch.full((embed_dim, ), 1e-3))
        self.vis_gamma = nn.Parameter(torch.tensor(1e-3))

    @staticmethod
    def _build_optional(cfg: Optional[Dict]) -> Optional[nn.Module]:
        return MODELS.build(cfg) if cfg is not None else None

    def _level_index(self, index: int) -> int:
        """``index`` as a non-negative backbone level (the backbone lists ``out_channels``)."""
        channels = getattr(self.backbone, 'out_channels', None)
        if channels is None:
            if index < 0:
                raise InputError('the backbone does not list its out_channels; give '
                                 'score_concat_index as a level number')
            return index
        levels = len(channels)
        if not -levels <= index < levels:
            raise InputError(f'score_concat_index={index} is outside the {levels} backbone levels')
        return index % levels

    def _neck_with_score_channels(self, neck: Dict, num_scores: int) -> Dict:
        """``neck`` whose ``in_channels`` count the score map at ``score_concat_index``."""
        levels = getattr(self.backbone, 'out_channels', None)
        if levels is None or 'in_channels' not in neck:
            return neck
        with_scores = list(levels)
        with_scores[self.score_concat_index] += num_scores
        given = list(neck['in_channels'])
        if given == list(levels):
            return dict(neck, in_channels=with_scores)
        if given == with_scores:
            return neck
        raise InputError(
            f'neck.in_channels={given} fits neither the backbone levels {list(levels)} nor '
            f'them plus {num_scores} score-map channel(s) at index {self.score_concat_index} '
            f'({with_scores})')

    def encode(self, inputs: Tensor) -> Tuple[Tuple[Tensor, ...], Dict[str, Tensor]]:
        """Run the image encoder and TCM.

        Returns the backbone levels with the score map fused in, and the TCM outputs:
        ``score_map``, ``image_embedding`` and ``prompted_embedding`` (before and after
        the visual prompt) and ``text_embedding``.
        """
        *levels, (global_embedding, dense) = self.backbone(inputs)
        outputs = dict(image_embedding=dense, **self._tcm(global_embedding, dense))
        score_map = outputs['score_map']
        i = self.score_concat_index
        if levels[i].shape[-2:] != score_map.shape[-2:]:
            raise InputError(
                f'backbone level {i} is {tuple(levels[i].shape[-2:])} but the score '
                f'map is {tuple(score_map.shape[-2:])}; concatenate it to the 1/32 level')
        levels[i] = torch.cat([levels[i], score_map.to(levels[i].dtype)], dim=1)
        return tuple(levels), outputs

    def _tcm(self, global_embedding: Tensor, dense: Tensor) -> Dict[str, Tensor]:
        """The TCM block: prompts, both context decoders, the ``(B, K, h, w)`` cosine score map."""
        b, c, h, w = dense.shape
        dense_tokens = dense.flatten(2).transpose(1, 2)  # B, hw, C
        visual_context = torch.cat([global_embedding[:, None], dense_tokens], dim=1)
        text = self._text_embedding(global_embedding).expand(b, -1, -1)  # B, K, C
        prompted = dense
        if self.visual_prompt_generator is not None:
            diff = self.visual_prompt_generator(dense_tokens, text)
            prompted = dense + self.vis_gamma * diff.transpose(1, 2).reshape(b, c, h, w)
        if self.context_decoder is not None:
            text = text + self.gamma * self.context_decoder(text, visual_context)
        return dict(
            score_map=instance_language_score(prompted, text),
            prompted_embedding=prompted,
            text_embedding=text)

    def _text_embedding(self, global_embedding: Tensor) -> Tensor:
        """Text embeddings ``(B, K, C)``, conditioned on each image's global embedding."""
        return self.encode_text(global_embedding)

    def encode_text(self, query: Tensor) -> Tensor:
        """The text branch: the prompts shifted by the language prompt generator's output for
        ``query`` ``(B, D)``, through the text tower: ``(B, K, C)``; ``(1, K, C)`` when there
        is no prompt generator."""
        shift = self.prompt_generator(query) if self.prompt_generator is not None else None
        return self.text_encoder(self.texts, self.contexts, shift)

    def neck_features(self, levels: Tuple[Tensor, ...]):
        """What the head consumes: the neck applied to score-fused backbone levels."""
        return self.neck(levels) if self.with_neck else levels

    def extract_feat(self, inputs: Tensor):
        """Neck features of the score-fused backbone levels."""
        return self.neck_features(self.encode(inputs)[0])

    @torch.no_grad()
    def predict_score_map(self, inputs: Tensor) -> Tensor:
        """The instance-language score map ``(B, K, H/32, W/32)`` in ``[-1, 1]``.

        ``inputs`` are normalised, padded images (the output of the data
        preprocessor); use it to visualise where the model sees text.
        """
        return self.encode(inputs)[1]['score_map']

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
