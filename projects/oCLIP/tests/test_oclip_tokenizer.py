"""oCLIP's character ids: the original's layout, one seeded mask per word, bad words named."""
import pickle
import random

import pytest
import torch
from oclip import SYNTHTEXT_DICT, CharTokenizer, read_characters

from tcm.utils.errors import InputError


@pytest.fixture(scope='module')
def tokenizer():
    return CharTokenizer(SYNTHTEXT_DICT)


def test_the_synthtext_dictionary_is_printable_ascii_with_mask_and_end(tokenizer):
    assert tokenizer.chars == [chr(c) for c in range(33, 127)]
    assert (tokenizer.mask_id, tokenizer.end_id, tokenizer.vocab_size) == (95, 96, 97)


def test_words_end_after_their_characters_and_long_ones_at_slot_24(tokenizer):
    assert tokenizer.encode_word('Hi!') == [40, 73, 1, 96] + [0] * 21
    long = tokenizer.encode_word('a' * 30)
    assert long == [65] * 24 + [96]
    assert tokenizer.encode_word('b' * 24) == [66] * 24 + [96]


def test_one_character_per_word_is_masked_and_repeats_with_the_seed(tokenizer):
    words = ['Hello', 'x', 'y' * 40] + [f'w{i}' for i in range(40)]
    random.seed(3)
    ids, slots = tokenizer.encode(words)
    random.seed(3)
    again = tokenizer.encode(words)
    assert torch.equal(ids, again[0]) and torch.equal(slots, again[1])
    assert ids.shape == (32, 25) and slots.shape == (32, )  # words after the 32nd left out
    masked, targets = tokenizer.apply_mask(ids, slots)
    for row, masked_row, slot, target, word in zip(ids, masked, slots, targets, words):
        assert row.tolist() == tokenizer.encode_word(word)
        assert 0 <= slot < min(len(word), 25) and (masked_row == 95).sum() == 1
        assert masked_row[slot] == 95 and row[slot] == target != 0
        assert torch.equal(masked_row.masked_fill(masked_row == 95, 0), row.index_fill(0, slot, 0))
    few, few_slots = tokenizer.encode(['ab'])
    assert few[0, :3].tolist() == [65, 66, 96] and not few[1:].any()
    assert (few_slots[1:] == -1).all()
    masked, targets = tokenizer.apply_mask(few[None], few_slots[None])  # batched too
    assert torch.equal(masked[0, 1:], few[1:]) and not targets[0, 1:].any()


def test_bad_words_and_dictionaries_are_named(tokenizer, tmp_path):
    with pytest.raises(InputError, match=r"word 'naïve': characters 'ï' are not in the dict"):
        tokenizer.encode(['naïve'])
    with pytest.raises(InputError, match='empty word'):
        tokenizer.encode(['a', ''])
    with pytest.raises(InputError, match='no such character dictionary'):
        read_characters(str(tmp_path / 'nope.txt'))


def test_the_originals_pickled_dictionary_is_read_without_running_it(tmp_path):
    codes = tmp_path / 'char_dict'
    codes.write_bytes(pickle.dumps(list(range(33, 127))))
    assert read_characters(str(codes)) == CharTokenizer(SYNTHTEXT_DICT).chars

    class Evil:

        def __reduce__(self):
            return (print, ('ran', ))

    evil = tmp_path / 'evil.pkl'
    evil.write_bytes(pickle.dumps([Evil()]))
    with pytest.raises(
            InputError, match=r'evil.pkl: .* only a list of code points, not '
            r'builtins.print'):
        read_characters(str(evil))
