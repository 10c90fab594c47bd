"""oCLIP's learning-rate schedule: linear warm-up over iterations, then cosine to zero."""
import math

from mmengine.optim.scheduler.lr_scheduler import LRSchedulerMixin
from mmengine.optim.scheduler.param_scheduler import INF, _ParamScheduler
from mmocr.registry import PARAM_SCHEDULERS

from tcm.utils.errors import InputError


class WarmupCosineParamScheduler(_ParamScheduler):
    """At iteration ``t`` of ``T``: ``base * (t + 1) / warmup_iters`` while ``t <
    warmup_iters``, then ``base * (1 + cos(pi * (t - warmup_iters) / (T - warmup_iters))) / 2``
    (the original's ``cosine_lr``, set before each step). Give ``end`` in epochs with
    ``convert_to_iter_based=True`` so that ``T`` follows the dataset; ``warmup_iters`` is in
    iterations (10000 in the original)."""

    def __init__(self,
                 optimizer,
                 param_name: str,
                 warmup_iters: int,
                 begin: int = 0,
                 end: int = INF,
                 by_epoch: bool = False,
                 last_step: int = -1,
                 verbose: bool = False) -> None:
        self.warmup_iters = warmup_iters
        super().__init__(optimizer, param_name, begin, end, last_step, by_epoch, verbose)
        if self.end - self.begin <= warmup_iters:
            raise InputError(f'the schedule spans {self.end - self.begin} iterations, not more '
                             f'than its {warmup_iters} warm-up iterations (train longer or set '
                             'warmup_iters lower)')

    @classmethod
    def build_iter_from_epoch(cls,
                              *args,
                              begin=0,
                              end=INF,
                              by_epoch=True,
                              epoch_length=None,
                              **kwargs):
        """An iteration-based instance from ``begin`` / ``end`` in epochs."""
        begin = int(begin * epoch_length)
        end = int(end * epoch_length) if end != INF else end
        return cls(*args, begin=begin, end=end, by_epoch=False, **kwargs)

    def _get_value(self) -> list:
        t, warmup, total = self.last_step, self.warmup_iters, self.end - self.begin
        if t < warmup:
            factor = (t + 1) / warmup
        else:
            factor = 0.5 * (1 + math.cos(math.pi * (t - warmup) / (total - warmup)))
        return [base * factor for base in self.base_values]


@PARAM_SCHEDULERS.register_module()
class WarmupCosineLR(LRSchedulerMixin, WarmupCosineParamScheduler):
    """:class:`WarmupCosineParamScheduler` on the learning rate."""
