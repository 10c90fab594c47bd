"""Run a text detector built from a config on image files (no training data needed)."""
from typing import List, Optional, Sequence, Union

import torch
from mmengine.config import Config
from mmengine.dataset import Compose, pseudo_collate
from mmengine.registry import init_default_scope
from mmengine.runner import load_checkpoint
from mmocr.registry import MODELS
from mmocr.structures import TextDetDataSample
from torch import nn


def init_detector(config: Union[str, Config], checkpoint: Optional[str] = None,
                  device: str = 'cpu') -> nn.Module:
    """Build the model of ``config`` in eval mode, with ``checkpoint`` loaded (``weights_only``)."""
    cfg = Config.fromfile(config) if isinstance(config, str) else config
    init_default_scope(cfg.get('default_scope', 'mmocr'))
    model = MODELS.build(cfg.model)
    if checkpoint:
        load_checkpoint(model, checkpoint, map_location='cpu')
    model.cfg = cfg
    return model.to(device).eval()


def test_pipeline(cfg: Config) -> Compose:
    """The config's test pipeline without its annotation loading."""
    steps = [step for step in cfg.test_dataloader.dataset.pipeline
             if step['type'] != 'LoadOCRAnnotations']
    return Compose(steps)


@torch.no_grad()
def detect(model: nn.Module, images: Sequence[str]) -> List[TextDetDataSample]:
    """Predict text instances (and, for TCM models, ``score_map``) for image files."""
    pipeline = test_pipeline(model.cfg)
    return model.test_step(pseudo_collate([pipeline(dict(img_path=path)) for path in images]))
