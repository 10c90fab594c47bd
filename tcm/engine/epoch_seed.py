"""Each training epoch's randomness drawn from (seed, epoch) alone, so that ``--resume`` from
an epoch's checkpoint continues exactly the run it interrupts.

MMEngine seeds once at start: a resumed run's dropout and main-process augmentation then
draw from a fresh stream, and workers are seeded alike in every epoch (the same
augmentation each epoch) unless they persist, when their streams cannot be restored at all.
:class:`EpochSeedHook` reseeds Python, NumPy and torch (and the data workers created for the
epoch) from ``(seed, epoch)`` before each epoch. Persistent workers keep the stream they
started with, so runs that need exact resumption use ``persistent_workers=False`` or
``num_workers=0``.
"""
from functools import partial

import numpy as np
from mmengine.dataset import worker_init_fn
from mmengine.dist import get_rank
from mmengine.hooks import Hook
from mmengine.runner import set_random_seed
from mmocr.registry import HOOKS


def epoch_seed(seed: int, epoch: int, rank: int = 0) -> int:
    """A 31-bit seed for one epoch (and rank), independent of every other epoch's."""
    return int(np.random.SeedSequence([seed, epoch, rank]).generate_state(1)[0] >> 1)


@HOOKS.register_module()
class EpochSeedHook(Hook):
    """Reseed before every training epoch; ``tcm.engine.TCMRunner`` registers it."""

    priority = 'VERY_HIGH'

    def before_train_epoch(self, runner) -> None:
        diff_rank = runner._randomness_cfg.get('diff_rank_seed', False)
        seed = epoch_seed(runner.seed, runner.epoch, get_rank() if diff_rank else 0)
        set_random_seed(seed)
        loader = runner.train_loop.dataloader
        init = loader.worker_init_fn
        if isinstance(init, partial) and init.func is worker_init_fn:
            loader.worker_init_fn = partial(worker_init_fn, **dict(init.keywords, seed=seed))
