"""CLIP4STR's label filter on MMOCR's recognition datasets, with what it dropped counted."""
import unicodedata
from collections import Counter
from typing import List, Optional, Tuple

from mmengine.logging import print_log
from mmocr.datasets import OCRDataset
from mmocr.registry import DATASETS

from ..models.charset import CharsetAdapter


def clean_label(text: str, adapter: CharsetAdapter, max_length: int) -> Tuple[Optional[str], str]:
    """The original's label preprocessing (``LmdbDataset._preprocess_labels``), in its order:
    whitespace removed, NFKD-normalised and non-ASCII dropped, refused if longer than
    ``max_length`` (before the charset is applied), adapted to the charset, refused if empty.
    Returns the label, or None and why."""
    text = ''.join(text.split())
    text = unicodedata.normalize('NFKD', text).encode('ascii', 'ignore').decode()
    if len(text) > max_length:
        return None, 'longer than max_label_length'
    text = adapter(text)
    return (text, '') if text else (None, 'empty in the charset')


class LabelFilterMixin:
    """Applies :func:`clean_label` to every sample's text in ``filter_data``; samples whose
    label is refused are left out and counted in the log (test sets too: the original's
    benchmark sizes are after this filter)."""

    def _init_filter(self, charset: str, max_label_length: int) -> None:
        self.label_adapter = CharsetAdapter(charset)
        self.max_label_length = max_label_length

    def filter_data(self) -> List[dict]:
        kept, dropped = [], Counter()
        for info in super().filter_data():
            texts = [i.get('text', '') for i in info.get('instances', [])]
            if len(texts) != 1:
                dropped['not one text instance'] += 1
                continue
            text, why = clean_label(texts[0], self.label_adapter, self.max_label_length)
            if text is None:
                dropped[why] += 1
                continue
            kept.append(dict(info, instances=[dict(info['instances'][0], text=text)]))
        reasons = ', '.join(f'{n} {why}' for why, n in sorted(dropped.items()))
        print_log(
            f'{self.ann_file}: label filter kept {len(kept)} of '
            f'{len(kept) + sum(dropped.values())} samples' +
            (f' (dropped: {reasons})' if reasons else ''),
            logger='current')
        return kept


@DATASETS.register_module()
class FilteredOCRDataset(LabelFilterMixin, OCRDataset):
    """MMOCR's ``OCRDataset`` (``textrecog_*.json``) with CLIP4STR's label filter.

    Args:
        charset: Characters labels keep (the training or the 36-character test charset).
        max_label_length: Longer labels are left out (25).
        **kwargs: ``OCRDataset``'s arguments.
    """

    def __init__(self, charset: str, max_label_length: int = 25, **kwargs) -> None:
        self._init_filter(charset, max_label_length)
        super().__init__(**kwargs)
