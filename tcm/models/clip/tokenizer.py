"""Prompt tokenization with open_clip's CLIP BPE tokenizer (its vocabulary ships with open_clip)."""
from functools import lru_cache
from typing import Sequence

import torch
from open_clip.tokenizer import SimpleTokenizer
from torch import Tensor

from ...utils.errors import InputError


@lru_cache(maxsize=1)
def _tokenizer() -> SimpleTokenizer:
    return SimpleTokenizer()


def tokenize_prompts(sentences: Sequence[str], length: int) -> Tensor:
    """Tokenize each sentence as ``[SOT, ..., EOT]`` zero-padded to ``length``.

    Unlike open_clip's default, a sentence that does not fit is an error, not
    silently truncated: the prompt defines the checkpoint's token budget.
    """
    tok = _tokenizer()
    ids = torch.zeros(len(sentences), length, dtype=torch.long)
    for row, sentence in enumerate(sentences):
        tokens = [tok.sot_token_id] + tok.encode(sentence) + [tok.eot_token_id]
        if len(tokens) > length:
            raise InputError(f'prompt {sentence!r} needs {len(tokens)} tokens, more than '
                             f'prompt_length={length}')
        ids[row, :len(tokens)] = torch.tensor(tokens)
    return ids
