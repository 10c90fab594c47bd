"""MMEngine's Runner, made safe against crashes and numerical blow-ups, and fast by config."""
import glob
import os
import os.path as osp
from typing import Dict, Optional

import torch
from mmengine.dist import is_main_process
from mmengine.model import MMDistributedDataParallel, is_model_wrapper
from mmengine.runner import Runner
from mmocr.registry import RUNNERS
from torch import nn

from ..utils.checkpoint_io import load_weights, read_checkpoint
from ..utils.errors import InputError
from .acceleration import compile_for_inference, prepare_model
from .epoch_seed import EpochSeedHook
from .finite_loss import guard_finite_losses
from .launch import init_cpu_process_group
from .work_dir_lock import work_dir_lock


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

    - :meth:`load_checkpoint`: ``load_from`` (fine-tuning, testing) and ``--resume`` read
      the file with ``tcm.utils.read_checkpoint`` and load it strictly
      (``tcm.utils.load_weights``): a checkpoint of another model is one error line with the
      count of tensors that do not fit. ``partial_load = True`` in the config is the opt-in
      to load only the tensors that fit (fine-tuning from another model); the log says how
      many were left out. A ``--resume`` checkpoint must hold a training state.
    - :meth:`load_or_resume`: ``--resume`` without a file removes temporary checkpoints a
      killed run left, resumes from the checkpoint ``last_checkpoint`` names (a missing one
      is an error line) and says so when there is none yet.
    - :meth:`train`: holds the work dir's lock (``tcm.engine.work_dir_lock``), so a second
      training in the same work dir is refused, and reseeds every epoch from (seed, epoch)
      (``tcm.engine.epoch_seed``), so a resumed run continues exactly the run it resumes.

    tcm's ``tools/train.py`` and ``tools/test.py`` use it unless a config sets
    ``runner_type``.
    """

    _resuming = False
    _training = False  # partial_load is for fine-tuning only

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

    def train(self) -> nn.Module:
        self._training = True
        self.register_hook(EpochSeedHook())
        if not is_main_process():
            return super().train()
        with work_dir_lock(self.work_dir):
            return super().train()

    def load_or_resume(self) -> None:
        if self._resume and self._load_from is None and not self._has_loaded:
            self._load_from = self._latest_checkpoint()
            self._resume = self._load_from is not None
        super().load_or_resume()

    def _latest_checkpoint(self) -> Optional[str]:
        """The checkpoint to resume from in the work dir, after removing stale temporaries."""
        if is_main_process():
            for stale in glob.glob(osp.join(self.work_dir, '.*.tmp')):
                os.remove(stale)
                self.logger.warning(f'removed {stale}, left by a run killed while saving')
        record = osp.join(self.work_dir, 'last_checkpoint')
        if not osp.isfile(record):
            self.logger.info(f'--resume: no checkpoint in {self.work_dir} yet; training '
                             'starts from the beginning')
            return None
        with open(record) as f:
            named = f.read().strip()
        if not named or not osp.isfile(named):
            raise InputError(f'{record} names {named or "no file"!r}, which does not exist; '
                             'pass --resume CHECKPOINT with the checkpoint to continue from')
        return named

    def resume(self, filename: str, *args, **kwargs) -> None:
        self._resuming = True
        try:
            super().resume(filename, *args, **kwargs)
        finally:
            self._resuming = False

    def load_checkpoint(self,
                        filename: str,
                        map_location='cpu',
                        strict: bool = False,
                        revise_keys: list = [(r'^module.', '')]):
        if not osp.isfile(filename) and '://' in filename:  # a URL: MMEngine's loaders
            return super().load_checkpoint(filename, map_location, strict, revise_keys)
        checkpoint = read_checkpoint(filename)
        meta = checkpoint.get('meta') if isinstance(checkpoint, dict) else None
        if self._resuming and not (isinstance(meta, dict) and 'iter' in meta
                                   and 'optimizer' in checkpoint):
            raise InputError(f'{filename}: holds no training state (optimizer, iteration) to '
                             'resume; to start a new run from its weights, set '
                             f'load_from={filename} instead of --resume')
        self.call_hook('after_load_checkpoint', checkpoint=checkpoint)
        model = self.model.module if is_model_wrapper(self.model) else self.model
        fine_tuning = self._training and not self._resuming
        partial = fine_tuning and self.cfg.get('partial_load', False)
        hint = 'to fine-tune from the tensors that fit, set partial_load=True' if fine_tuning \
            else ''
        match = load_weights(model, checkpoint, filename, self.cfg.filename or 'this config',
                             partial, hint)
        if not match.complete:
            self.logger.warning(f'partial_load: {filename}: {match.summary()}; those tensors '
                                'keep their initial values')
        self._has_loaded = True
        self.logger.info(f'Load checkpoint from {filename}')
        return checkpoint
