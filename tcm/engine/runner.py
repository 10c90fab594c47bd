"""MMEngine's Runner, made safe against crashes and numerical blow-ups."""
import os
import os.path as osp
from typing import Callable, Dict, Tuple

import torch
from mmengine.model import is_model_wrapper
from mmengine.runner import Runner
from mmocr.registry import RUNNERS
from torch import Tensor


def check_finite_losses(losses: Dict[str, Tensor], iteration: int) -> None:
    """Raise ``FloatingPointError`` naming the first loss term that is NaN or infinite."""
    for name, value in losses.items():
        if 'loss' not in name:
            continue
        values = value if isinstance(value, (list, tuple)) else [value]
        for item in values:
            if not torch.isfinite(item).all():
                raise FloatingPointError(
                    f'iteration {iteration}: {name} is {float(item.detach().float().mean())}; '
                    'training stopped before the optimizer step, the weights are unchanged')


@RUNNERS.register_module()
class TCMRunner(Runner):
    """``Runner`` that writes checkpoints atomically and stops on a non-finite loss.

    - A checkpoint is written to a temporary file beside its target and renamed
      into place, so a run killed while saving never leaves a truncated checkpoint
      for ``--resume`` to trip on.
    - Each loss term is checked before the optimizer step; a NaN or infinite term
      stops training with a message naming the iteration and the term, instead of
      silently corrupting the weights.

    tcm's ``tools/train.py`` and ``tools/test.py`` use it unless a config sets
    ``runner_type``.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        model = self.model.module if is_model_wrapper(self.model) else self.model
        model.parse_losses = self._checked(model.parse_losses)

    def _checked(self, parse_losses: Callable) -> Callable:
        def parse_finite_losses(losses: Dict[str, Tensor]) -> Tuple[Tensor, Dict]:
            check_finite_losses(losses, self.iter + 1)
            return parse_losses(losses)
        return parse_finite_losses

    def save_checkpoint(self, out_dir: str, filename: str, *args, **kwargs) -> None:
        if not osp.isdir(out_dir):  # a remote backend: save as MMEngine does
            return super().save_checkpoint(out_dir, filename, *args, **kwargs)
        temporary = f'.{filename}.tmp'
        try:
            super().save_checkpoint(out_dir, temporary, *args, **kwargs)
            os.replace(osp.join(out_dir, temporary), osp.join(out_dir, filename))
        finally:
            if osp.exists(osp.join(out_dir, temporary)):
                os.remove(osp.join(out_dir, temporary))
