"""Permutation language modelling (PARSeq): the shared orderings of a batch and their masks."""
import math
from itertools import permutations
from typing import Tuple

import numpy as np
import torch
from torch import Tensor

# For 4 characters, the first half of the 24 orderings in lexicographic order that pairs each
# ordering with its flip (PARSeq's selector).
FOUR_CHAR_HALF = [0, 3, 4, 6, 9, 10, 12, 16, 17, 18, 19, 21]


def generate_permutations(num_chars: int,
                          num_perms: int = 6,
                          forward: bool = True,
                          mirrored: bool = True,
                          rng: np.random.Generator = None,
                          device=None) -> Tensor:
    """Orderings of ``[BOS, c_1..c_T, EOS]`` positions shared by a batch whose longest label has
    ``num_chars`` (T) characters: ``(P, T + 2)``.

    The canonical order first (``forward``), random others up to ``num_perms`` (half of them
    when ``mirrored``, each then followed by its flip); BOS stays first and EOS last, except
    in the second ordering, which reads the characters right to left and gives EOS the null
    context (so that EOS is learnt for cloze decoding).
    """
    if num_chars == 1:
        return torch.arange(3, device=device)[None]
    rng = rng if rng is not None else np.random.default_rng()
    orders = [torch.arange(num_chars, device=device)] if forward else []
    pool_size = math.factorial(num_chars) // (2 if mirrored else 1)
    wanted = min(num_perms // 2 if mirrored else num_perms, pool_size)
    if num_chars < 5:  # draw without repeats from the whole (half) pool
        selector = FOUR_CHAR_HALF if num_chars == 4 and mirrored else list(range(pool_size))
        pool = torch.as_tensor(list(permutations(range(num_chars))), device=device)[selector]
        if forward:
            pool = pool[1:]
        orders = torch.stack(orders) if orders else pool[:0]
        if len(pool):
            picked = rng.choice(len(pool), size=wanted - len(orders), replace=False)
            orders = torch.cat([orders, pool[picked]])
    else:
        orders += [torch.randperm(num_chars, device=device) for _ in range(wanted - len(orders))]
        orders = torch.stack(orders)
    if mirrored:  # each ordering beside its flip
        orders = torch.stack([orders, orders.flip(-1)]).transpose(0, 1).reshape(-1, num_chars)
    bos = orders.new_zeros(len(orders), 1)
    eos = orders.new_full((len(orders), 1), num_chars + 1)
    perms = torch.cat([bos, orders + 1, eos], dim=1)
    if len(perms) > 1:
        perms[1, 1:] = num_chars + 1 - torch.arange(num_chars + 1, device=device)
    return perms


def permutation_masks(perm: Tensor) -> Tuple[Tensor, Tensor]:
    """Additive content ``(T+1, T+1)`` and query ``(T+1, T+1)`` masks of one ordering.

    A position sees the positions that come before it in the ordering; queries (which
    predict position ``k + 1`` from position ``k``) do not see themselves.
    """
    size = perm.shape[0]
    mask = torch.zeros(size, size, device=perm.device)
    for i in range(size):
        mask[perm[i], perm[i + 1:]] = float('-inf')
    content_mask = mask[:-1, :-1].clone()
    mask[torch.eye(size, dtype=torch.bool, device=perm.device)] = float('-inf')
    return content_mask, mask[1:, :-1]
