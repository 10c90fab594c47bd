"""CLIP4STR: a CLIP ViT made a scene-text recognizer, with a visual and a cross-modal branch."""
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np
import open_clip
import torch
import torch.nn.functional as F
from mmengine.structures import LabelData
from mmocr.models.textrecog.recognizers import BaseRecognizer
from mmocr.registry import MODELS, TASK_UTILS
from mmocr.structures import TextRecogDataSample
from torch import Tensor

from tcm.utils.errors import InputError

from .charset import LOWERCASE_ALPHANUMERIC, CharsetAdapter
from .permutations import generate_permutations, permutation_masks

EOS_TEXT = '[E]'  # how the original renders EOS when it cuts a caption


@MODELS.register_module()
class CLIP4STR(BaseRecognizer):
    """CLIP4STR (Zhao et al., TIP 2024) as an MMOCR recognizer.

    The visual branch decodes the CLIP image tokens with a PARSeq decoder. The cross-modal
    branch re-reads the visual guess with CLIP's text tower (the guess, adapted to
    ``caption_charset``, tokenized to ``context_length``, every token kept) and decodes the
    image tokens and the text tokens together with a second decoder. Training is permutation
    language modelling for both branches (the cross branch on the GT context, its text from
    each permutation's visual logits); inference is greedy autoregressive decoding of each
    branch, then ``refine_iters`` cloze passes of both with the text recomputed, and the
    refined cross-modal logits are the output. Confidence is the product of the step
    probabilities up to and including EOS.

    Token ids are the dictionary's: the characters, then BOS, EOS and padding (so
    ``same_start_end=False``, ``with_padding=True``); the heads predict the characters and
    EOS (the last class).

    Args:
        dictionary: MMOCR ``Dictionary`` of the training charset.
        image_encoder: ``CLIPVisionTransformer`` (its tokens are the memory).
        text_encoder: ``CLIPTextEncoder``; its preset and joint width follow the image
            encoder's unless set, and its ``context_length`` is that of the captions.
        decoder: ``PARSeqDecoder`` settings of both decoders; the width, token and class
            counts and the number of position queries are derived.
        max_seq_len: Longest label (25); the decoders have one more position, for EOS.
        num_perms, perm_forward, perm_mirrored: Permutation language modelling (6, True, True).
        refine_iters: Cloze refinement passes at inference (1).
        caption_charset: What the cross branch's captions keep (the 36-character set).
        cross_loss_weight: Weight of the cross branch's loss (1).
        cross_branch: False builds the visual branch alone (no text tower, no cross decoder),
            trains and reads with it: the original's ``use_language_model: false``.
        clip_pretrained: Local CLIP weights for both towers.
        data_preprocessor, init_cfg: As in MMOCR.
    """

    def __init__(self,
                 dictionary: Dict,
                 image_encoder: Dict = dict(type='CLIPVisionTransformer', preset='ViT-B-16'),
                 text_encoder: Dict = dict(type='CLIPTextEncoder', context_length=16, frozen=6),
                 decoder: Dict = dict(type='PARSeqDecoder'),
                 max_seq_len: int = 25,
                 num_perms: int = 6,
                 perm_forward: bool = True,
                 perm_mirrored: bool = True,
                 refine_iters: int = 1,
                 caption_charset: str = LOWERCASE_ALPHANUMERIC,
                 cross_loss_weight: float = 1.0,
                 cross_branch: bool = True,
                 clip_pretrained: Optional[str] = None,
                 data_preprocessor: Optional[Dict] = None,
                 init_cfg: Optional[Dict] = None) -> None:
        super().__init__(data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        self.dictionary = TASK_UTILS.build(dictionary)
        d = self.dictionary
        if None in (d.start_idx, d.end_idx, d.padding_idx) or d.start_idx == d.end_idx:
            raise InputError('CLIP4STR needs a Dictionary with_start, with_end and with_padding '
                             'and same_start_end=False (BOS and EOS are distinct tokens)')
        self.chars = d.dict[:min(d.start_idx, d.end_idx, d.padding_idx)]
        if clip_pretrained:
            image_encoder = dict(image_encoder, pretrained=clip_pretrained)
            text_encoder = dict(text_encoder, pretrained=clip_pretrained)
        self.image_encoder = MODELS.build(image_encoder)
        width = self.image_encoder.output_dim  # the joint width: the decoders' too
        sizes = dict(
            dim=width,
            num_tokens=d.num_classes,
            num_classes=len(self.chars) + 1,
            max_length=max_seq_len + 1)
        self.visual_decoder = MODELS.build(dict(decoder, **sizes))
        self.cross_branch = cross_branch
        if cross_branch:
            if text_encoder.get('embed_dim', width) != width:
                raise InputError(f'text_encoder.embed_dim={text_encoder["embed_dim"]} but the '
                                 f'image tokens are {width} wide: the CLIP towers share the '
                                 'joint width')
            self.text_encoder = MODELS.build(
                dict(
                    text_encoder,
                    embed_dim=width,
                    preset=text_encoder.get('preset', image_encoder.get('preset'))))
            self.cross_decoder = MODELS.build(dict(decoder, **sizes))
        # head class -> token id: the characters, then EOS
        self.register_buffer(
            'class_tokens',
            torch.tensor(list(range(len(self.chars))) + [d.end_idx]),
            persistent=False)
        self.max_seq_len = max_seq_len
        self.num_perms, self.perm_forward, self.perm_mirrored = num_perms, perm_forward, \
            perm_mirrored
        self.refine_iters = refine_iters
        self.caption_adapter = CharsetAdapter(caption_charset)
        self.cross_loss_weight = cross_loss_weight
        self.rng = np.random.default_rng()

    # ---- shared steps --------------------------------------------------------------------

    def extract_feat(self, inputs: Tensor) -> Tensor:
        """``(B, 3, H, W)`` -> every projected CLIP image token ``(B, 1 + hw, D)``."""
        return self.image_encoder(inputs)

    def captions(self, logits: Tensor) -> List[str]:
        """The texts the cross branch reads: each greedy guess cut at its first EOS, adapted to
        the caption charset (the original cuts the rendered text at ``'[E]'``; so does this)."""
        texts = []
        for row in logits.argmax(-1).tolist():
            text = ''.join(self.chars[c] if c < len(self.chars) else EOS_TEXT for c in row)
            texts.append(self.caption_adapter(text.partition(EOS_TEXT)[0]))
        return texts

    def cross_memory(self, logits: Tensor, memory: Tensor) -> Tensor:
        """Image tokens (detached) beside the text tokens of the guess in ``logits``."""
        ids = open_clip.tokenize(
            self.captions(logits.detach()), context_length=self.text_encoder.context_length)
        text = self.text_encoder(ids.to(memory.device), pool=False)
        return torch.cat([memory.detach(), text], dim=1)

    def _tokens(self, logits: Tensor) -> Tensor:
        return self.class_tokens[logits.argmax(-1)]

    @staticmethod
    def _additive(padding: Optional[Tensor]) -> Optional[Tensor]:
        if padding is None:
            return None
        return torch.zeros(padding.shape, device=padding.device).masked_fill(padding, float('-inf'))

    # ---- training ------------------------------------------------------------------------

    def encode_labels(self, data_samples: Sequence[TextRecogDataSample], device) -> Tensor:
        """``[BOS] + characters + [EOS]`` of each label, padded to the longest: ``(B, T + 2)``."""
        d = self.dictionary
        rows = [[d.start_idx] + d.str2idx(s.gt_text.item) + [d.end_idx] for s in data_samples]
        tokens = torch.full((len(rows), max(map(len, rows))), d.padding_idx, dtype=torch.long)
        for i, row in enumerate(rows):
            tokens[i, :len(row)] = torch.tensor(row)
        return tokens.to(device)

    def loss(self, inputs: Tensor, data_samples: Sequence[TextRecogDataSample]) -> Dict:
        """Both branches' cross-entropy over the shared permutations, weighted by the number of
        supervised tokens (EOS only in the first two orderings), as ``loss_visual`` and
        ``loss_cross`` (their sum is the original's loss)."""
        memory = self.extract_feat(inputs)
        d = self.dictionary
        tgt = self.encode_labels(data_samples, memory.device)
        tgt_in, tgt_out = tgt[:, :-1], tgt[:, 1:]
        padding = self._additive((tgt_in == d.padding_idx) | (tgt_in == d.end_idx))
        target = self._classes(tgt_out)
        perms = generate_permutations(tgt.shape[1] - 2, self.num_perms, self.perm_forward,
                                      self.perm_mirrored, self.rng, memory.device)
        losses, total = dict(loss_visual=0.), 0
        if self.cross_branch:
            losses['loss_cross'] = 0.
        for i, perm in enumerate(perms):
            content_mask, query_mask = permutation_masks(perm)
            n = int((target != -100).sum())
            visual = self.visual_decoder(
                tgt_in,
                memory,
                query_mask=query_mask,
                content_mask=content_mask,
                padding_mask=padding)
            losses['loss_visual'] += n * F.cross_entropy(visual.flatten(0, 1), target.flatten())
            if self.cross_branch:
                cross = self.cross_decoder(
                    tgt_in,
                    self.cross_memory(visual, memory),
                    query_mask=query_mask,
                    content_mask=content_mask,
                    padding_mask=padding)
                losses['loss_cross'] += self.cross_loss_weight * n * F.cross_entropy(
                    cross.flatten(0, 1), target.flatten())
            total += n
            if i == 1:  # after the canonical and reversed orderings, EOS is not supervised
                target = target.masked_fill(target == len(self.chars), -100)
        return {k: v / total for k, v in losses.items()}

    def _classes(self, tokens: Tensor) -> Tensor:
        """Token ids -> head classes (characters, EOS last); padding -> -100 (ignored)."""
        d = self.dictionary
        classes = tokens.masked_fill(tokens == d.end_idx, len(self.chars))
        return classes.masked_fill(tokens == d.padding_idx, -100)

    # ---- inference -----------------------------------------------------------------------

    def decode(self, memory: Tensor) -> Tuple[Tensor, Optional[Tensor]]:
        """Predict, then refine: ``(visual, cross)`` logits ``(B, steps, classes)`` after
        refinement (the cross ones are the output; None without the cross branch). The visual
        AR loop stops once every sequence has emitted EOS (the one host sync per step); the
        cross one runs as many steps, as the original."""
        d = self.dictionary
        b, steps = memory.shape[0], self.max_seq_len + 1
        ar_mask = torch.triu(torch.full((steps, steps), float('-inf'), device=memory.device), 1)
        tgt_in = torch.full((b, steps), d.padding_idx, dtype=torch.long, device=memory.device)
        tgt_in[:, 0] = d.start_idx

        visual = self._autoregress(self.visual_decoder, tgt_in, memory, ar_mask, steps, True)
        cross = None
        if self.cross_branch:  # conditioned on its own outputs, in the same buffer
            cross = self._autoregress(self.cross_decoder, tgt_in, self.cross_memory(visual, memory),
                                      ar_mask, visual.shape[1], False)

        cloze = ar_mask.clone()  # every context but the predicted token is visible
        cloze[torch.triu(torch.ones_like(cloze, dtype=torch.bool), 2)] = 0
        for _ in range(self.refine_iters):
            visual = self._refine(self.visual_decoder, visual, memory, cloze)
            if self.cross_branch:
                cross = self._refine(self.cross_decoder, cross, self.cross_memory(visual, memory),
                                     cloze)
        return visual, cross

    def _autoregress(self, decoder: torch.nn.Module, tgt_in: Tensor, memory: Tensor,
                     ar_mask: Tensor, steps: int, stop_at_eos: bool) -> Tensor:
        """Greedy decoding, one query at a time (the forward order fixes past positions),
        writing each guess into ``tgt_in``."""
        queries = decoder.pos_queries[:, :steps].expand(memory.shape[0], -1, -1)
        logits = []
        for i in range(steps):
            step = decoder(tgt_in[:, :i + 1], memory, queries[:, i:i + 1], ar_mask[i:i + 1, :i + 1],
                           ar_mask[:i + 1, :i + 1])
            logits.append(step)
            if i + 1 < steps:
                tgt_in[:, i + 1] = self._tokens(step[:, 0])
                if stop_at_eos and (tgt_in == self.dictionary.end_idx).any(dim=-1).all():
                    break
        return torch.cat(logits, dim=1)

    def _refine(self, decoder: torch.nn.Module, logits: Tensor, memory: Tensor,
                cloze: Tensor) -> Tensor:
        """One cloze pass over the guess in ``logits``, its context cut from the first EOS."""
        d = self.dictionary
        bos = torch.full((logits.shape[0], 1), d.start_idx, dtype=torch.long, device=memory.device)
        context = torch.cat([bos, self._tokens(logits[:, :-1])], dim=1)
        n = context.shape[1]
        queries = decoder.pos_queries[:, :self.max_seq_len + 1].expand(logits.shape[0], -1, -1)
        padding = self._additive((context == d.end_idx).cumsum(-1) > 0)
        return decoder(context, memory, queries, cloze[:, :n], cloze[:n, :n], padding)

    def texts(self, logits: Tensor) -> List[Tuple[str, float]]:
        """Greedy texts cut at EOS, with the product of the step probabilities including EOS."""
        probs, classes = logits.softmax(-1).max(-1)
        results = []
        for p, c in zip(probs, classes.tolist()):
            end = c.index(len(self.chars)) if len(self.chars) in c else len(c)
            results.append((''.join(self.chars[k] for k in c[:end]), float(p[:end + 1].prod())))
        return results

    def predict(self, inputs: Tensor,
                data_samples: Sequence[TextRecogDataSample]) -> Sequence[TextRecogDataSample]:
        """``pred_text.item``: the refined cross-modal branch's text (training charset);
        ``pred_text.score``: its confidence; ``''`` and 0 for a crop that had no pixels
        (``empty_crop``, set by ``GuardEmptyCrop``)."""
        logits = self.output_logits(inputs)
        for sample, (text, score) in zip(data_samples, self.texts(logits)):
            if sample.metainfo.get('empty_crop', False):
                text, score = '', 0.0
            sample.pred_text = LabelData(item=text, score=score)
        return data_samples

    def output_logits(self, inputs: Tensor) -> Tensor:
        """The refined cross-modal logits (visual without the cross branch)."""
        visual, cross = self.decode(self.extract_feat(inputs))
        return visual if cross is None else cross

    def _forward(self, inputs: Tensor, data_samples=None, **kwargs) -> Tensor:
        """The output logits ``(B, steps, classes)``."""
        return self.output_logits(inputs)
