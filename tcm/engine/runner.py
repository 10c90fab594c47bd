"""MMEngine's Runner, made safe against crashes and numerical blow-ups."""
import os
import os.path as osp
import subprocess
from datetime import timedelta
from typing import Callable, Dict, Optional, Tuple

import torch
import torch.distributed as dist
from mmengine.dist import is_main_process
from mmengine.model import MMDistributedDataParallel, is_model_wrapper
from mmengine.runner import Runner
from mmocr.registry import RUNNERS
from torch import Tensor, nn

from ..models.heads import float32_head
from ..utils.errors import InputError
from .acceleration import apply_channels_last, compile_for_inference


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


def export_slurm_layout(port: Optional[int] = None) -> None:
    """Publish Slurm's task layout as torch's ``env://`` variables, with MMEngine's rules for
    GPUs: rank and world size from Slurm, the master on the first node of the job (unless
    ``MASTER_ADDR`` is set), port ``port``, else ``MASTER_PORT``, else 29500."""
    env = os.environ
    missing = [key for key in ('SLURM_PROCID', 'SLURM_NTASKS', 'SLURM_NODELIST') if key not in env]
    if missing:
        raise InputError(f'--launcher slurm outside a Slurm job: {", ".join(missing)} not set')
    env['RANK'], env['WORLD_SIZE'] = env['SLURM_PROCID'], env['SLURM_NTASKS']
    env['LOCAL_RANK'] = env.get('SLURM_LOCALID', '0')
    env['MASTER_PORT'] = str(port or env.get('MASTER_PORT', 29500))
    if 'MASTER_ADDR' not in env:
        try:
            nodes = subprocess.run(['scontrol', 'show', 'hostnames', env['SLURM_NODELIST']],
                                   check=True,
                                   capture_output=True,
                                   text=True).stdout.split()
        except (OSError, subprocess.CalledProcessError) as exc:
            raise InputError(f'--launcher slurm: `scontrol show hostnames` failed ({exc}); '
                             'set MASTER_ADDR') from None
        env['MASTER_ADDR'] = nodes[0]


@RUNNERS.register_module()
class TCMRunner(Runner):
    """``Runner`` that writes checkpoints atomically and stops on a non-finite loss.

    - A checkpoint is written to a temporary file beside its target and renamed
      into place, so a run killed while saving never leaves a truncated checkpoint
      for ``--resume`` to trip on.
    - Each loss term is checked before the optimizer step; a NaN or infinite term
      stops training with a message naming the iteration and the term, instead of
      silently corrupting the weights.

    - ``--launcher pytorch`` and ``slurm`` also work on machines without a GPU: processes meet
      over gloo and the model is wrapped without device ids (SyncBN, GPU-only, is
      not applied there). With GPUs everything is MMEngine's (NCCL, SyncBN).
    - ``channels_last = True`` in the config puts the weights in NHWC before wrapping (for
      training and testing), and ``compile``, which MMEngine applies to the training step,
      also compiles the network for ``test()`` (not for validation during training); see
      ``tcm.engine.acceleration``.
    - Any MMOCR detector's head returns float32, so that mixed precision
      (``test_cfg.fp16=True``, bfloat16 on CPU) reaches MMOCR's NumPy post-processors.

    tcm's ``tools/train.py`` and ``tools/test.py`` use it unless a config sets
    ``runner_type``.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        model = self.model.module if is_model_wrapper(self.model) else self.model
        model.parse_losses = self._checked(model.parse_losses)

    def setup_env(self, env_cfg: Dict) -> None:
        if self.distributed and not torch.cuda.is_available() and not dist.is_initialized():
            # MMEngine's init_dist assumes a GPU; its port and timeout settings still apply
            dist_cfg = env_cfg.get('dist_cfg', {})
            if self.launcher == 'slurm':
                export_slurm_layout(dist_cfg.get('port'))
            timeout = dist_cfg.get('timeout')
            dist.init_process_group(
                backend='gloo',
                **({} if timeout is None else dict(timeout=timedelta(seconds=timeout))))
        super().setup_env(env_cfg)

    def wrap_model(self, model_wrapper_cfg: Optional[Dict], model: nn.Module) -> nn.Module:
        float32_head(model)
        apply_channels_last(model, self.cfg)  # before DDP sees the parameters
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
            if is_main_process():  # the only process that writes checkpoints
                os.replace(osp.join(out_dir, temporary), osp.join(out_dir, filename))
        finally:
            if osp.exists(osp.join(out_dir, temporary)):
                os.remove(osp.join(out_dir, temporary))
