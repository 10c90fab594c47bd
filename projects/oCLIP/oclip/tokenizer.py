"""oCLIP's character ids: each word of an image as 25 slots, one character masked per word.

Ids follow the original (and its checkpoints' embedding rows): 0 padding, 1..N the dictionary's
characters in file order, N+1 the mask, N+2 end of word. A word keeps at most 24 characters and
its end; one of 25 or more has its end written over slot 24, as the original.
"""
import os.path as osp
import pickle
import random
from typing import List, Optional, Sequence, Tuple

import torch
from mmocr.models.common.dictionary import Dictionary
from torch import Tensor

from tcm.utils.errors import InputError

DICTS = osp.join(osp.dirname(osp.abspath(__file__)), 'dicts')
#: The SynthText dictionary of the released models: printable ASCII 33..126, in code point order.
SYNTHTEXT_DICT = osp.join(DICTS, 'synthtext_ascii94.txt')


class _ListOfInts(pickle.Unpickler):
    """Unpickles plain data only: any class or function in the file is refused, not run."""

    def find_class(self, module: str, name: str):
        raise InputError(f'{self.path}: a character dictionary pickle may hold only a list of '
                         f'code points, not {module}.{name}')


def read_characters(path: str) -> List[str]:
    """The characters of a dictionary file: MMOCR's one character per line, or the original's
    pickled list of code points (``char_dict``, read without running anything in it)."""
    if not osp.isfile(path):
        raise InputError(f'{path}: no such character dictionary')
    if path.endswith(('.pkl', '.pickle')) or osp.basename(path) == 'char_dict':
        with open(path, 'rb') as f:
            unpickler = _ListOfInts(f)
            unpickler.path = path
            try:
                codes = unpickler.load()
            except (pickle.UnpicklingError, EOFError) as exc:
                raise InputError(f'{path}: not a pickled list of code points ({exc})') from None
        if not isinstance(codes, (list, tuple)) or not all(isinstance(c, int) for c in codes):
            raise InputError(f'{path}: not a pickled list of code points')
        chars = [chr(c) for c in codes]
    else:
        chars = Dictionary(path).dict
    if len(set(chars)) != len(chars) or not chars:
        raise InputError(f'{path}: a character dictionary needs distinct characters')
    return chars


class CharTokenizer:
    """Words -> ``(max_words, word_length)`` ids and the masked character of each word.

    Args:
        dict_file: The character dictionary (:func:`read_characters`).
        max_words: Word slots per image (32); later words are left out.
        word_length: Slots per word including its end (25).
    """

    def __init__(self, dict_file: str, max_words: int = 32, word_length: int = 25) -> None:
        self.chars = read_characters(dict_file)
        self.char_ids = {c: i + 1 for i, c in enumerate(self.chars)}
        self.mask_id = len(self.chars) + 1
        self.end_id = len(self.chars) + 2
        self.vocab_size = len(self.chars) + 3
        self.max_words, self.word_length = max_words, word_length

    def encode_word(self, word: str, mask_char: Optional[str] = None) -> List[int]:
        """``word_length`` ids: characters, end of word, padding; ``mask_char`` (the original's
        pictures use a space) stands for the mask."""
        if not word:
            raise InputError('an empty word has no character ids')
        ids_of = dict(self.char_ids, **({mask_char: self.mask_id} if mask_char else {}))
        unknown = sorted(set(word) - ids_of.keys())
        if unknown:
            raise InputError(f'word {word!r}: characters {"".join(unknown)!r} are not in the '
                             'dictionary')
        ids = [ids_of[c] for c in word[:self.word_length]]
        ids += [0] * (self.word_length - len(ids))
        ids[min(len(word), self.word_length - 1)] = self.end_id
        return ids

    def encode(self,
               words: Sequence[str],
               rng: Optional[random.Random] = None) -> Tuple[Tensor, Tensor]:
        """``(ids (max_words, word_length), mask_slots (max_words,))`` for an image's words.

        ``mask_slots`` holds, per word, the slot to mask, drawn from ``[0, min(len,
        word_length) - 1]`` by ``rng`` (Python's ``random`` module by default, as the
        original), and -1 for slots without a word; :meth:`apply_mask` masks them.
        """
        rng = rng or random
        ids = torch.zeros(self.max_words, self.word_length, dtype=torch.long)
        slots = torch.full((self.max_words, ), -1, dtype=torch.long)
        for i, word in enumerate(words[:self.max_words]):
            ids[i] = torch.tensor(self.encode_word(word))
            slots[i] = rng.randint(0, min(len(word), self.word_length) - 1)
        return ids, slots

    def apply_mask(self, ids: Tensor, slots: Tensor) -> Tuple[Tensor, Tensor]:
        """``ids (..., W, L)`` with the mask id at ``slots (..., W)``, and the ids it hid
        (0 where a slot is -1): the masked words and the decoder's targets."""
        has_word = slots >= 0
        where = slots.clamp(min=0).unsqueeze(-1)
        targets = ids.gather(-1, where).squeeze(-1).masked_fill(~has_word, 0)
        hide = torch.zeros_like(ids, dtype=torch.bool).scatter(-1, where, True)
        return ids.masked_fill(hide & has_word.unsqueeze(-1), self.mask_id), targets

    def decode_char(self, char_id: int) -> str:
        """One id as text: its character, or ``''`` for padding, mask and end."""
        return self.chars[char_id - 1] if 1 <= char_id <= len(self.chars) else ''
