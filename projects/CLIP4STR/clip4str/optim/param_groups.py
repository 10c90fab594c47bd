"""CLIP4STR's four parameter groups: CLIP and the decoders, each with and without weight decay."""
from typing import List

import torch
from mmengine.optim import DefaultOptimWrapperConstructor, OptimWrapper
from mmocr.registry import OPTIM_WRAPPER_CONSTRUCTORS, OPTIM_WRAPPERS, OPTIMIZERS
from torch import nn

#: Parameters whose name holds one of these (or with fewer than 2 dimensions) get no weight decay.
NO_DECAY_NAMES = ('bn', 'ln', 'bias', 'logit_scale', 'pos_queries', 'text_embed')


@OPTIM_WRAPPER_CONSTRUCTORS.register_module()
class CLIP4STROptimWrapperConstructor(DefaultOptimWrapperConstructor):
    """The original's groups, in its order: CLIP without decay, CLIP with decay, the decoders
    without decay and with decay, the decoders at ``decoder_lr_mult`` (19) times the learning
    rate; frozen parameters are left out. ``OneCycleLR(eta_max=[lr, lr, 19 lr, 19 lr])``
    matches these groups.

    ``paramwise_cfg``: ``decoder_lr_mult`` (19) and ``decoder_decay_mult`` (1).
    """

    def __call__(self, model: nn.Module) -> OptimWrapper:
        model = getattr(model, 'module', model)
        lr, decay = self.optimizer_cfg['lr'], self.optimizer_cfg.get('weight_decay', 0)
        lr_mult = self.paramwise_cfg.get('decoder_lr_mult', 19.0)
        decay_mult = self.paramwise_cfg.get('decoder_decay_mult', 1.0)
        groups: List[List[torch.Tensor]] = [[], [], [], []]
        for name, param in model.named_parameters():
            if not param.requires_grad:
                continue
            decoder = not name.startswith(('image_encoder.', 'text_encoder.'))
            no_decay = param.ndim < 2 or any(word in name for word in NO_DECAY_NAMES)
            groups[2 * decoder + (not no_decay)].append(param)
        param_groups = [
            dict(params=groups[0], lr=lr, weight_decay=0.),
            dict(params=groups[1], lr=lr, weight_decay=decay),
            dict(params=groups[2], lr=lr * lr_mult, weight_decay=0.),
            dict(params=groups[3], lr=lr * lr_mult, weight_decay=decay * decay_mult),
        ]
        optimizer = OPTIMIZERS.build(dict(self.optimizer_cfg, params=param_groups))
        return OPTIM_WRAPPERS.build(self.optim_wrapper_cfg, default_args=dict(optimizer=optimizer))
