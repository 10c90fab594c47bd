"""One-cycle schedule peaking at each parameter group's own learning rate."""
from typing import List, Optional, Union

from mmengine.optim import OneCycleLR
from mmocr.registry import PARAM_SCHEDULERS


@PARAM_SCHEDULERS.register_module()
class GroupOneCycleLR(OneCycleLR):
    """MMEngine's ``OneCycleLR`` whose ``eta_max`` defaults to the learning rate each group
    was built with: the original's ``OneCycleLR(max_lr=[lr, lr, 19 lr, 19 lr])`` without the
    rates written a second time (and still right after ``--auto-scale-lr``)."""

    def __init__(self,
                 optimizer,
                 eta_max: Optional[Union[float, List[float]]] = None,
                 **kwargs) -> None:
        if eta_max is None:
            eta_max = [group['lr'] for group in optimizer.param_groups]
        super().__init__(optimizer, eta_max=eta_max, **kwargs)

    def state_dict(self) -> dict:
        """Without ``anneal_func``: a bound method, it would pickle the scheduler itself (and
        its optimizer) into checkpoints, which then fail ``weights_only`` loading; ``__init__``
        sets it again from ``anneal_strategy``."""
        state = super().state_dict()
        state.pop('anneal_func', None)
        return state
