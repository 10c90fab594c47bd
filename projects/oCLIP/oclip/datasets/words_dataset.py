"""Images paired with the words they contain, no boxes: oCLIP's weak labels."""
import csv
import json
import os.path as osp
from collections import Counter
from typing import Dict, List, Sequence, Tuple

from mmengine.dataset import BaseDataset
from mmengine.logging import print_log
from mmocr.registry import DATASETS

from tcm.datasets import UnreadableImagePolicy
from tcm.utils.errors import InputError

from ..tokenizer import SYNTHTEXT_DICT, read_characters


def clean_words(words: Sequence[str], chars: set, max_words: int,
                word_length: int) -> Tuple[List[str], Counter]:
    """The words an image keeps, and why the others went: empty words and words with a
    character outside the dictionary are dropped, words after the ``max_words``-th are left
    out (the original keeps the first 32), words longer than ``word_length - 1`` are kept and
    cut to that many characters by the tokenizer (as the original)."""
    kept, notes = [], Counter()
    for word in words:
        if not word:
            notes['empty words dropped'] += 1
        elif not set(word) <= chars:
            notes['words with characters outside the dictionary dropped'] += 1
        elif len(kept) == max_words:
            notes[f'words after the {max_words}th left out'] += 1
        else:
            if len(word) > word_length - 1:
                notes[f'words cut to {word_length - 1} characters'] += 1
            kept.append(word)
    return kept, notes


@DATASETS.register_module()
class OCLIPWordsDataset(UnreadableImagePolicy, BaseDataset):
    """Each image with its list of words, from oCLIP's TSV (a ``filepath`` and a ``title``
    column, the words joined by single spaces, as its converters write) or from an MMOCR
    textdet JSON (each instance's ``text``; ignored instances and ``###`` dropped, boxes
    unused). Words are cleaned by :func:`clean_words`; images left without words are dropped.
    What was dropped is counted in the log. An unreadable image is skipped in training and an
    error in testing (tcm's detection datasets' policy).

    Args:
        ann_file: ``.tsv`` / ``.csv`` or ``.json``; relative image paths are joined with
            ``data_prefix['img_path']`` (itself under ``data_root``).
        dict_file: The character dictionary (the model's).
        max_words, word_length: As the tokenizer's (32, 25).
        img_key, caption_key: The TSV's column names.
    """

    def __init__(self,
                 ann_file: str,
                 dict_file: str = SYNTHTEXT_DICT,
                 max_words: int = 32,
                 word_length: int = 25,
                 img_key: str = 'filepath',
                 caption_key: str = 'title',
                 **kwargs) -> None:
        self.chars = set(read_characters(dict_file))
        self.max_words, self.word_length = max_words, word_length
        self.img_key, self.caption_key = img_key, caption_key
        kwargs.setdefault('data_prefix', dict(img_path=''))
        super().__init__(ann_file=ann_file, **kwargs)

    def load_data_list(self) -> List[Dict]:
        if not osp.isfile(self.ann_file):
            raise FileNotFoundError(f'annotation file not found: {self.ann_file}')
        notes = Counter()
        pairs = self._read_json(notes) if self.ann_file.endswith('.json') else self._read_tsv()
        prefix = self.data_prefix.get('img_path', '')
        data_list = []
        for path, words in pairs:
            kept, why = clean_words(words, self.chars, self.max_words, self.word_length)
            notes.update(why)
            if not kept:
                notes['images without any word left dropped'] += 1
                continue
            data_list.append(dict(img_path=osp.join(prefix, path), words=kept))
        summary = ', '.join(f'{n} {what}' for what, n in sorted(notes.items()))
        report = f'{self.ann_file}: {len(data_list)} of {len(pairs)} images kept' + (
            f'; {summary}' if summary else '')
        if not data_list:
            raise InputError(f'{report}: nothing to train on')
        print_log(report, logger='current')
        return data_list

    def _read_tsv(self) -> List[Tuple[str, List[str]]]:
        with open(self.ann_file, newline='', encoding='utf-8') as f:
            reader = csv.DictReader(f, delimiter='\t', quoting=csv.QUOTE_NONE)
            missing = {self.img_key, self.caption_key} - set(reader.fieldnames or ())
            if missing:
                raise InputError(f'{self.ann_file}: no column {", ".join(sorted(missing))} '
                                 f'(has {", ".join(reader.fieldnames or ()) or "none"})')
            return [(row[self.img_key], (row[self.caption_key] or '').split(' ')) for row in reader]

    def _read_json(self, notes: Counter) -> List[Tuple[str, List[str]]]:
        try:
            with open(self.ann_file, encoding='utf-8') as f:
                content = json.load(f)
            entries = content['data_list']
        except (json.JSONDecodeError, UnicodeDecodeError, KeyError, TypeError) as exc:
            raise InputError(f'{self.ann_file}: not an MMOCR annotation file ({exc!r})') from None
        pairs = []
        for entry in entries:
            words = []
            for inst in entry.get('instances', []):
                if 'text' not in inst:
                    notes['instances without text dropped'] += 1
                elif not inst.get('ignore', False) and inst['text'] != '###':
                    words.append(inst['text'])
            pairs.append((entry['img_path'], words))
        return pairs
