"""MMEngine's Runner, made safe against crashes and numerical blow-ups, and fast by config."""
import os
import os.path as osp
from typing import Dict, Optional

import torch
from mmengine.dist import is_main_process
from mmengine.model import MMDistributedDataParallel, is_model_wrapper
from mmengine.runner import Runner
from mmocr.registry import RUNNERS
from torch import nn

from .acceleration import compile_for_inference, prepare_model
from .finite_loss import guard_finite_losses
from .launch import init_cpu_process_group


@RUNNERS.register_module()
@RUNNERS.register_module(name='SafeRunner')
class TCMRunner(Runner):
    """``Runner`` for any MMOCR model (also registered as ``SafeRunner``). Each job is one
    overridden ``Runner`` method:

    - :meth:`save_checkpoint`: a checkpoint is written to a temporary file beside its
      target and renamed into place, so a run killed while saving never leaves a
      truncated checkpoint for ``--resume`` to trip on.
    - :meth:`wrap_model`: before the model is wrapped, ``tcm.engine.prepare_model`` gives
      its head float32 outputs and losses under mixed precision (so bfloat16 reaches
      MMOCR's NumPy post-processors, and CUDA autocast FCENet's loss) and applies
      ``channels_last = True``; ``tcm.engine.guard_finite_losses`` checks each loss term
      before the optimizer step, so a NaN or infinite term stops training with a message
      naming the iteration and the term instead of corrupting the weights. Without GPUs,
      distributed models are wrapped without device ids.
    - :meth:`setup_env`: ``--launcher pytorch`` and ``slurm`` also work on machines
      without a GPU: processes meet over gloo (``tcm.engine.launch``). With GPUs
      everything is MMEngine's (NCCL, SyncBN).
    - :meth:`test`: ``compile``, which MMEngine applies to the training step, also
      compiles the network for testing (not for validation during training); see
      ``tcm.engine.acceleration``.

    tcm's ``tools/train.py`` and ``tools/test.py`` use it unless a config sets
    ``runner_type``.
    """

    def setup_env(self, env_cfg: Dict) -> None:
        if self.distributed and not torch.cuda.is_available() and not \
                torch.distributed.is_initialized():
            init_cpu_process_group(self.launcher, env_cfg)
        super().setup_env(env_cfg)

    def wrap_model(self, model_wrapper_cfg: Optional[Dict], model: nn.Module) -> nn.Module:
        guard_finite_losses(prepare_model(model, self.cfg))  # before DDP sees the parameters
        if self.distributed and not torch.cuda.is_available():
            return MMDistributedDataParallel(
                module=model,
                broadcast_buffers=False,
                find_unused_parameters=self.cfg.get('find_unused_parameters', False))
        return super().wrap_model(model_wrapper_cfg, model)

    def test(self) -> Dict:
        if self.cfg.get('compile', False):
            model = self.model.module if is_model_wrapper(self.model) else self.model
            compile_for_inference(model, self.cfg)
            self.logger.info('network compiled for testing (on its first batch of each size)')
        return super().test()

    def save_checkpoint(self, out_dir: str, filename: str, *args, **kwargs) -> None:
        if not osp.isdir(out_dir):  # a remote backend: save as MMEngine does
            return super().save_checkpoint(out_dir, filename, *args, **kwargs)
        temporary = f'.{filename}.tmp'
        try:
            super().save_checkpoint(out_dir, temporary, *args, **kwargs)
            if is_main_process():  # the only process that writes checkpoints
                os.replace(osp.join(out_dir, temporary), osp.join(out_dir, filename))
        finally:
            if osp.exists(osp.join(out_dir, temporary)):
                os.remove(osp.join(out_dir, temporary))
