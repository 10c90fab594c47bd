"""oCLIP: CLIP-style pre-training on images paired with the words they contain."""
import math
from typing import Dict, List, Optional, Sequence, Tuple

import torch
import torch.nn.functional as F
from mmengine.model import BaseModel
from mmengine.structures import BaseDataElement
from mmocr.registry import MODELS
from torch import Tensor, nn

from tcm.utils.errors import InputError

from ..tokenizer import SYNTHTEXT_DICT, CharTokenizer
from .losses import contrastive_loss


@MODELS.register_module()
class OCLIP(BaseModel):
    """oCLIP (Xue et al., ECCV 2022) as an MMEngine model.

    The image encoder is CLIP's modified ResNet whose attention pool lets every token query
    (token 0, the mean, is the global feature; the others are the dense tokens the decoder
    reads). The character-aware text encoder is CLIP's text tower on character ids, one
    sequence per word, pooled at the word's end. An image's text feature is the mean of its
    word slots, empty ones included (as the original). The losses are the symmetric
    contrastive loss over every rank's batch and, unless ``first_stage``, the cross-entropy of
    each word's masked character, predicted by the visual-textual decoder from the image.

    Data samples carry ``text_ids`` ``(max_words, word_length)`` and ``mask_slots``
    ``(max_words,)`` (:class:`CharTokenizer`; the model masks one character per word unless in
    its first stage, so that the stage is one switch), and may carry ``image_mask`` (True on
    padded cells of the ``(H/32, W/32)`` grid, which the decoder does not read).

    Args:
        dict_file: Character dictionary; the text tower's vocabulary and the classifier follow.
        image_encoder: ``CLIPResNetWithAttention`` (RN50 or RN101 at 512 px, 384 wide).
        text_encoder: ``CLIPTextEncoder`` on ``word_length`` character slots; its vocabulary
            and joint width are derived.
        decoder: ``VisualTextualDecoder`` settings; width, classes and grid are derived.
        first_stage: The original's ``--first``: no decoder, no masking, contrastive loss only.
        char_loss_weight: Weight of the masked-character loss (1).
        max_words, word_length: Word slots per image (32) and per word (25).
        data_preprocessor, init_cfg: As in MMEngine.
    """

    def __init__(self,
                 dict_file: str = SYNTHTEXT_DICT,
                 image_encoder: Dict = dict(
                     type='CLIPResNetWithAttention',
                     preset='RN50',
                     output_dim=384,
                     input_resolution=512),
                 text_encoder: Dict = dict(
                     type='CLIPTextEncoder', preset='RN50', width=64, heads=8, layers=6),
                 decoder: Optional[Dict] = dict(type='VisualTextualDecoder', layers=6, heads=8),
                 first_stage: bool = False,
                 char_loss_weight: float = 1.0,
                 max_words: int = 32,
                 word_length: int = 25,
                 data_preprocessor: Optional[Dict] = None,
                 init_cfg: Optional[Dict] = None) -> None:
        super().__init__(data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        self.tokenizer = CharTokenizer(dict_file, max_words, word_length)
        self.image_encoder = MODELS.build(dict(image_encoder, out_indices=()))
        width = self.image_encoder.attnpool.c_proj.out_features
        self.text_encoder = MODELS.build(
            dict(
                text_encoder,
                context_length=word_length,
                vocab_size=self.tokenizer.vocab_size,
                embed_dim=width,
                quick_gelu=text_encoder.get('quick_gelu', True)))
        self.first_stage = first_stage
        if not first_stage:
            grid = (self.image_encoder.input_resolution // 32)**2
            self.decoder = MODELS.build(
                dict(
                    decoder,
                    width=width,
                    num_classes=self.tokenizer.vocab_size,
                    grid_size=grid,
                    init_width=self.text_encoder.width,
                    init_layers=len(self.text_encoder.transformer.resblocks)))
        self.logit_scale = nn.Parameter(torch.tensor(math.log(1 / 0.07)))
        self.char_loss_weight = char_loss_weight

    # ---- the steps, one by one ---------------------------------------------------------

    def encode_image(self, images: Tensor) -> Tensor:
        """``(B, 3, H, W)`` -> every attention-pool output token ``(B, 1 + hw, D)``, the
        global (mean) token first: ``(B, 257, 384)`` at 512 px."""
        (global_token, dense), = self.image_encoder(images)
        return torch.cat([global_token[:, None], dense.flatten(2).transpose(1, 2)], dim=1)

    def encode_text(self, char_ids: Tensor) -> Tensor:
        """``(B, W, L)`` character ids -> each word's embedding ``(B, W, D)``."""
        b, w, length = char_ids.shape
        return self.text_encoder(char_ids.reshape(b * w, length)).reshape(b, w, -1)

    def decode_chars(self,
                     word_embeddings: Tensor,
                     image_tokens: Tensor,
                     image_mask: Optional[Tensor] = None) -> Tensor:
        """Each word's masked-character logits ``(B, W, vocab)`` from its embedding and the
        dense part of ``image_tokens`` (what :meth:`encode_image` returned)."""
        self._needs_decoder()
        return self.decoder(word_embeddings, image_tokens[:, 1:], self._flat(image_mask))[0]

    def attention_maps(self,
                       images: Tensor,
                       char_ids: Tensor,
                       image_mask: Optional[Tensor] = None) -> Tuple[Tensor, Tensor, Tensor]:
        """What the original's ``visualize_attn.py`` draws: where the global (mean) token of
        the attention pool looks ``(B, h, w)``, where the decoder's last block looks for each
        word's masked character ``(B, W, h, w)``, and the characters it names ``(B, W)``."""
        self._needs_decoder()
        encoder = self.image_encoder
        c5 = encoder.stem(images)
        for layer in (encoder.layer1, encoder.layer2, encoder.layer3, encoder.layer4):
            c5 = layer(c5)
        h, w = c5.shape[-2:]
        image_attention = encoder.attnpool.attention(c5)[:, 0, 1:].unflatten(-1, (h, w))
        tokens, words = self.encode_image(images), self.encode_text(char_ids)
        logits, char_attention = self.decoder(words, tokens[:, 1:], self._flat(image_mask))
        return image_attention, char_attention.unflatten(-1, (h, w)), logits.argmax(-1)

    def features(self, image_tokens: Tensor, word_embeddings: Tensor) -> Tuple[Tensor, Tensor]:
        """The L2-normalised image (global token) and text (mean of the word slots) features."""
        image = F.normalize(image_tokens[:, 0], dim=-1)
        text = F.normalize(word_embeddings.mean(dim=1), dim=-1)
        return image, text

    def _needs_decoder(self) -> None:
        if self.first_stage:
            raise InputError('a first_stage oCLIP has no visual-textual decoder')

    @staticmethod
    def _flat(image_mask: Optional[Tensor]) -> Optional[Tensor]:
        return None if image_mask is None else image_mask.flatten(1)

    @staticmethod
    def _stack(data_samples: Sequence[BaseDataElement], key: str,
               device: torch.device) -> Optional[Tensor]:
        if not data_samples or key not in data_samples[0]:
            return None
        return torch.stack([s.get(key) for s in data_samples]).to(device)

    # ---- MMEngine's modes ----------------------------------------------------------------

    def forward(self,
                inputs: Tensor,
                data_samples: Optional[List[BaseDataElement]] = None,
                mode: str = 'tensor'):
        if mode == 'loss':
            return self.loss(inputs, data_samples)
        if mode == 'predict':
            return self.predict(inputs, data_samples)
        if mode == 'tensor':
            return self._forward(inputs, data_samples)
        raise InputError(f'unknown mode {mode!r}: expected loss, predict or tensor')

    def _forward(self, inputs: Tensor,
                 data_samples: Sequence[BaseDataElement]) -> Tuple[Optional[Tensor], ...]:
        """``(image features, text features, char logits, their targets)``; the last two are
        None in the first stage, whose words are not masked."""
        ids = self._stack(data_samples, 'text_ids', inputs.device)
        if ids is None:
            raise InputError('oCLIP needs data samples with text_ids (its words)')
        targets = None
        if not self.first_stage:
            slots = self._stack(data_samples, 'mask_slots', inputs.device)
            if slots is None:
                raise InputError('oCLIP needs mask_slots (OCLIPTokenize) unless first_stage')
            ids, targets = self.tokenizer.apply_mask(ids, slots)
        tokens, words = self.encode_image(inputs), self.encode_text(ids)
        image, text = self.features(tokens, words)
        logits = None
        if not self.first_stage:
            mask = self._stack(data_samples, 'image_mask', inputs.device)
            logits = self.decode_chars(words, tokens, mask)
        return image, text, logits, targets

    def loss(self, inputs: Tensor, data_samples: Sequence[BaseDataElement]) -> Dict[str, Tensor]:
        """``loss_clip`` (contrastive, on the masked words as the original) and, unless
        ``first_stage``, ``loss_char``: the masked-character cross-entropy over the slots that
        hold a word."""
        image, text, logits, targets = self._forward(inputs, data_samples)
        losses = dict(loss_clip=contrastive_loss(image, text, self.logit_scale))
        if logits is not None:
            picked = targets != 0
            losses['loss_char'] = self.char_loss_weight * (
                F.cross_entropy(logits[picked], targets[picked]) if picked.any() else logits.sum() *
                0)
        return losses

    def predict(self, inputs: Tensor,
                data_samples: Sequence[BaseDataElement]) -> Sequence[BaseDataElement]:
        """Each sample gets ``image_feature`` and ``text_feature`` (normalised) and, with the
        decoder, ``pred_chars`` (each word slot's predicted masked character id),
        ``gt_chars`` (the ids it hid) and ``pred_text``: the predictions as strings (``''``
        for empty slots)."""
        image, text, logits, targets = self._forward(inputs, data_samples)
        for i, sample in enumerate(data_samples):
            sample.image_feature, sample.text_feature = image[i], text[i]
            if logits is not None:
                ids = logits[i].argmax(-1)
                sample.pred_chars, sample.gt_chars = ids, targets[i]
                sample.pred_text = [
                    self.tokenizer.decode_char(c) if t else ''
                    for c, t in zip(ids.tolist(), targets[i].tolist())
                ]
        return data_samples
