"""The TCM plug-in, shared by every detector that carries it: CLIP's text tower with learnable
prompts, the language and visual prompt generators, the text-refining context decoder and the
instance-language score map fused into one backbone level."""
from typing import Dict, Optional, Sequence, Tuple

import torch
from mmocr.registry import MODELS
from torch import Tensor, nn

from ...utils.errors import InputError
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


class TCMPlugin:
    """What TCM adds to a detector whose ``backbone`` is a CLIP image encoder returning its
    levels plus ``(global, dense)`` embeddings: :meth:`build_tcm` makes the parts (their
    sizes derived from the towers), :meth:`encode` runs the backbone and TCM and fuses the
    score map into level ``score_concat_index``. The detector class builds its backbone,
    then its neck through :meth:`_neck_with_score_channels`, and calls :meth:`build_tcm`.
    Names follow the original release (``contexts``, ``gamma``, ``vis_gamma``, ...).
    """

    def build_tcm(self,
                  backbone: Dict,
                  text_encoder: Dict,
                  prompt_generator: Optional[Dict] = dict(type='PromptGenerator'),
                  visual_prompt_generator: Optional[Dict] = dict(type='ContextDecoder'),
                  context_decoder: Optional[Dict] = dict(type='ContextDecoder'),
                  aux_loss: Optional[Dict] = dict(type='TCMAuxLoss'),
                  class_names: Sequence[str] = (TCM_PROMPT, ),
                  prompt_length: int = 14,
                  num_prompts: int = 4) -> None:
        """The text tower, prompts and decoders, sized from the built ``self.backbone``
        (``backbone`` is its config, for the text tower's preset); the arguments and their
        defaults are :class:`TCMDetector`'s."""
        embed_dim = self.backbone.output_dim
        self.text_encoder = self._build_optional(
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
        """``cfg`` built in MMOCR's registry (also from inside an MMDetection detector)."""
        return MODELS.build({'_scope_': 'mmocr', **cfg}) if cfg is not None else None

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

    @torch.no_grad()
    def predict_score_map(self, inputs: Tensor) -> Tensor:
        """The instance-language score map ``(B, K, H/32, W/32)`` in ``[-1, 1]``.

        ``inputs`` are normalised, padded images (the output of the data
        preprocessor); use it to visualise where the model sees text.
        """
        return self.encode(inputs)[1]['score_map']
