"""oCLIP's per-sample steps: the words to character ids with one masked character each, and
packing for the model."""
from typing import Dict

import numpy as np
import torch
from mmcv.transforms import BaseTransform
from mmengine.structures import BaseDataElement
from mmocr.registry import TRANSFORMS

from ..tokenizer import SYNTHTEXT_DICT, CharTokenizer


@TRANSFORMS.register_module()
class OCLIPTokenize(BaseTransform):
    """``results['words']`` -> ``text_ids`` ``(max_words, word_length)`` and ``mask_slots``
    ``(max_words,)``: the character of each word that the model masks (unless it is in its
    first stage), drawn anew each time from Python's ``random`` (seeded per worker by
    MMEngine)."""

    def __init__(self,
                 dict_file: str = SYNTHTEXT_DICT,
                 max_words: int = 32,
                 word_length: int = 25) -> None:
        self.tokenizer = CharTokenizer(dict_file, max_words, word_length)

    def transform(self, results: Dict) -> Dict:
        results['text_ids'], results['mask_slots'] = self.tokenizer.encode(results['words'])
        return results


@TRANSFORMS.register_module()
class PackOCLIPInputs(BaseTransform):
    """The image as a ``(3, H, W)`` uint8 tensor and a data sample with ``text_ids``,
    ``mask_slots`` and ``image_mask`` (no padded cells: ``(H/32, W/32)`` False, as the
    original)."""

    def __init__(self, meta_keys=('img_path', 'ori_shape', 'img_shape')) -> None:
        self.meta_keys = meta_keys

    def transform(self, results: Dict) -> Dict:
        img = np.ascontiguousarray(results['img'].transpose(2, 0, 1))
        h, w = img.shape[1:]
        sample = BaseDataElement(
            metainfo={k: results[k]
                      for k in self.meta_keys if k in results},
            text_ids=results['text_ids'],
            mask_slots=results['mask_slots'],
            image_mask=torch.zeros(h // 32, w // 32, dtype=torch.bool))
        return dict(inputs=torch.from_numpy(img), data_samples=sample)
