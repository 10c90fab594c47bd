"""TCMDetector: any MMOCR single-stage text detector with a CLIP encoder and the TCM plug-in."""
from typing import Dict, Optional, Sequence, Tuple

import torch
from mmocr.models.textdet.detectors import SingleStageTextDetector
from mmocr.registry import MODELS
from mmocr.structures import TextDetDataSample
from torch import Tensor, nn

from ...utils.errors import InputError
from ..clip import tokenize_prompts
from ..heads import float32_head, float32_loss
from ..tcm import instance_language_score

TCM_PROMPT = 'the pixels of many arbitrary-shape text instances.'


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

    Module and parameter names follow the original release (``contexts``,
    ``gamma``, ``vis_gamma``, ``context_decoder``, ...), so its checkpoints map
    onto this class by renaming ``bbox_head.`` to ``det_head.`` only.

    Args:
        backbone: CLIP image encoder, e.g. ``CLIPResNetWithAttention``.
        text_encoder: CLIP text encoder, ``CLIPTextContextEncoder``; its
            ``context_length`` is set here to ``prompt_length + num_prompts``.
        det_head: Any MMOCR text-detection head.
        neck: Any MMOCR neck; ``in_channels[score_concat_index]`` must count the
            ``len(class_names)`` score-map channels.
        prompt_generator: Language prompt generator (None disables it).
        visual_prompt_generator: Context decoder applied to the dense embedding
            (None disables it).
        context_decoder: Context decoder refining the text (None disables it).
        aux_loss: Loss on the score map (``TCMAuxLoss``); None trains without it.
        class_names: Prompt sentences, one score-map channel each.
        prompt_length: Token budget of a tokenized sentence, SOT and EOT included.
        num_prompts: Learnable context tokens inserted after SOT (4, 18 or 32).
        score_concat_index: Backbone level (in the backbone's output order) that
            receives the score map; it must have the dense embedding's size.
        clip_pretrained: Local CLIP weights for both towers (sets their ``pretrained``).
        meta_query: FastTCM: feed the language prompt generator a learned query
            instead of the image, so the text branch is image-independent; in eval
            mode without gradients it is computed once and reused until a weight of
            the text branch changes or training resumes.
        bimodal_similarity: FastTCM's ``BimodalSimilarityMatching``, which puts the
            image back into the text embedding after the text encoder (None: off).
        data_preprocessor, init_cfg: As in MMOCR.
    """

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
                 score_concat_index: int = 3,
                 clip_pretrained: Optional[str] = None,
                 meta_query: bool = False,
                 bimodal_similarity: Optional[Dict] = None,
                 data_preprocessor: Optional[Dict] = None,
                 init_cfg: Optional[Dict] = None) -> None:
        if clip_pretrained:
            backbone = dict(backbone, pretrained=clip_pretrained)
            text_encoder = dict(text_encoder, pretrained=clip_pretrained)
        super().__init__(
            backbone=backbone,
            det_head=det_head,
            neck=neck,
            data_preprocessor=data_preprocessor,
            init_cfg=init_cfg)
        self.text_encoder = MODELS.build(
            dict(text_encoder, context_length=prompt_length + num_prompts))
        self.prompt_generator = self._build_optional(prompt_generator)
        self.visual_prompt_generator = self._build_optional(visual_prompt_generator)
        self.context_decoder = self._build_optional(context_decoder)
        self.aux_loss = float32_loss(self._build_optional(aux_loss))
        self.register_buffer(
            'texts', tokenize_prompts(class_names, prompt_length), persistent=False)
        self.score_concat_index = score_concat_index

        width = self.text_encoder.width
        text_dim = self.text_encoder.embed_dim
        contexts = torch.empty(1, num_prompts, width)
        nn.init.trunc_normal_(contexts)  # std 1, as the original (large next to CLIP tokens)
        self.contexts = nn.Parameter(contexts)
        self.gamma = nn.Parameter(torch.full((text_dim, ), 1e-3))
        self.vis_gamma = nn.Parameter(torch.tensor(1e-3))
        self.meta_query = (
            nn.Parameter(torch.randn(self.backbone.output_dim)) if meta_query else None)
        self.bimodal_similarity = self._build_optional(bimodal_similarity)
        self._text_cache = None
        self._check_neck_channels(neck)
        float32_head(self)

    @staticmethod
    def _build_optional(cfg: Optional[Dict]) -> Optional[nn.Module]:
        return MODELS.build(cfg) if cfg is not None else None

    def _check_neck_channels(self, neck: Optional[Dict]) -> None:
        """Fail early, in one line, when the neck does not count the score-map channels."""
        levels = getattr(self.backbone, 'out_channels', None)
        expected_in = list(levels) if levels is not None else None
        if expected_in is None or neck is None or 'in_channels' not in neck:
            return
        if not 0 <= self.score_concat_index < len(expected_in):
            raise InputError(f'score_concat_index={self.score_concat_index} is outside the '
                             f'{len(expected_in)} backbone levels')
        expected_in[self.score_concat_index] += len(self.texts)
        if list(neck['in_channels']) != expected_in:
            raise InputError(
                f'neck.in_channels={list(neck["in_channels"])} but the backbone levels plus '
                f'{len(self.texts)} score-map channel(s) at index {self.score_concat_index} '
                f'give {expected_in}')

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
        """The TCM block: prompts, both context decoders and the ``(B, K, h, w)`` cosine score map."""
        b, c, h, w = dense.shape
        dense_tokens = dense.flatten(2).transpose(1, 2)  # B, hw, C
        visual_context = torch.cat([global_embedding[:, None], dense_tokens], dim=1)
        text = self._text_branch(global_embedding).expand(b, -1, -1)  # B, K, C
        if self.bimodal_similarity is not None:
            text = self.bimodal_similarity(global_embedding, text)
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

    def _text_branch(self, global_embedding: Tensor) -> Tensor:
        """Text embeddings ``(B or 1, K, C)``: per image (TCM) or shared and cached (FastTCM)."""
        if self.meta_query is None:
            shift = (
                self.prompt_generator(global_embedding)
                if self.prompt_generator is not None else None)
            return self.text_encoder(self.texts, self.contexts, shift)
        cacheable = not self.training and not torch.is_grad_enabled()
        key = self._text_branch_version() if cacheable else None
        if cacheable and self._text_cache is not None and self._text_cache[0] == key:
            return self._text_cache[1]
        shift = (
            self.prompt_generator(self.meta_query[None])
            if self.prompt_generator is not None else None)
        text = self.text_encoder(self.texts, self.contexts, shift)
        self._text_cache = (key, text) if cacheable else None
        return text

    def _text_branch_version(self) -> Tuple:
        """Changes whenever a weight of the text branch is modified, moved or replaced."""
        tensors = [self.contexts, self.meta_query, self.texts, *self.text_encoder.parameters()]
        if self.prompt_generator is not None:
            tensors += list(self.prompt_generator.parameters())
        return tuple((t.data_ptr(), t._version) for t in tensors)

    def train(self, mode: bool = True) -> 'TCMDetector':
        self._text_cache = None
        return super().train(mode)

    def extract_feat(self, inputs: Tensor) -> Tensor:
        """Neck features of the score-fused backbone levels (what the head consumes)."""
        return self._neck(self.encode(inputs)[0])

    def _neck(self, levels: Tuple[Tensor, ...]):
        return self.neck(levels) if self.with_neck else levels

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
        samples = self.det_head.predict(self._neck(levels), data_samples)
        keys = ['score_map'
                ] + (['image_embedding', 'prompted_embedding'] if with_embeddings else [])
        for i, sample in enumerate(samples):
            for key in keys:
                sample.set_field(outputs[key][i].detach(), key)
        return samples

    def loss(self, inputs: Tensor, data_samples: Sequence[TextDetDataSample]) -> Dict:
        """Head losses plus ``loss_aux``; the auxiliary targets are built first,
        because some head losses (DBNet's) modify the data samples."""
        levels, outputs = self.encode(inputs)
        losses = ({}
                  if self.aux_loss is None else self.aux_loss(outputs['score_map'], data_samples))
        losses.update(self.det_head.loss(self._neck(levels), data_samples))
        return losses
