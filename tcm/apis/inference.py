"""Running a text detector built from a config on images (no training data needed)."""
import copy
import os.path as osp
from typing import List, Optional, Sequence, Union

import numpy as np
import torch
from mmengine.config import Config
from mmengine.dataset import Compose, pseudo_collate
from mmengine.registry import DefaultScope, init_default_scope
from mmocr.registry import MODELS
from mmocr.structures import TextDetDataSample
from torch import nn

from ..engine import prepare_for_inference
from ..utils.checkpoint_io import load_weights
from ..utils.config_overrides import check_overrides
from ..utils.configs import read_config
from ..utils.errors import InputError

ImageType = Union[str, np.ndarray]


def init_detector(config: Union[str, Config],
                  checkpoint: Optional[str] = None,
                  device: str = 'cpu',
                  cfg_options: Optional[dict] = None,
                  backend: str = 'pytorch') -> nn.Module:
    """Build the model of ``config`` in eval mode, with ``checkpoint`` loaded (``weights_only``,
    strictly: a checkpoint of another model is one error line).

    ``cfg_options`` override config entries. The config's ``channels_last`` and ``compile``
    switches apply, and the head's outputs are float32 under mixed precision
    (``tcm.engine.acceleration``). With ``backend='onnxruntime'``, ``checkpoint`` is the
    network exported by ``tools/deployment/export_onnx.py``, run by ONNX Runtime, and the
    config gives the data preprocessor and MMOCR's post-processor.
    """
    if backend not in ('pytorch', 'onnxruntime'):
        raise InputError(f'unknown backend {backend!r}: pytorch or onnxruntime')
    for path, what in ((config, 'config'), (checkpoint, 'checkpoint')):
        if isinstance(path, str) and not osp.exists(path):
            raise FileNotFoundError(f'{what} file not found: {path}')
    cfg = read_config(config) if isinstance(config, str) else copy.deepcopy(config)
    if cfg_options:
        check_overrides(cfg, cfg_options, cfg.filename or 'the config')
        cfg.merge_from_dict(cfg_options)
    init_default_scope(cfg.get('default_scope', 'mmocr'))
    if backend == 'onnxruntime':
        from ..deployment import build_onnxruntime_detector
        if not checkpoint:
            raise InputError('--backend onnxruntime needs the exported ONNX file as --weights')
        model = build_onnxruntime_detector(cfg, checkpoint, device)
        model.cfg = cfg
        return model.to(device).eval()
    model = MODELS.build(cfg.model)
    if checkpoint:
        load_weights(model, checkpoint, checkpoint, cfg.filename or 'the config')
    model.cfg = cfg
    return prepare_for_inference(model.to(device).eval(), cfg)


def test_pipeline(cfg: Config, from_array: bool = False) -> Compose:
    """The config's test pipeline without annotation loading, for files or BGR arrays."""
    steps = [
        step for step in cfg.test_dataloader.dataset.pipeline
        if step['type'] != 'LoadOCRAnnotations'
    ]
    if from_array:
        steps[0] = dict(type='LoadImageFromNDArray')
    with DefaultScope.overwrite_default_scope(cfg.get('default_scope', 'mmocr')):
        return Compose(steps)


def detect(model: nn.Module,
           images: Sequence[ImageType],
           with_embeddings: bool = False) -> List[TextDetDataSample]:
    """Predict text instances for image files or BGR arrays, in one batch.

    TCM models also return each image's ``score_map``, and with ``with_embeddings``
    the image embedding before and after the visual prompt.
    """
    files, arrays = test_pipeline(model.cfg), test_pipeline(model.cfg, from_array=True)
    items = [
        files(dict(img_path=image)) if isinstance(image, str) else arrays(dict(img=image))
        for image in images
    ]
    return predict_prepared(model, items, with_embeddings)


@torch.no_grad()
def predict_prepared(model: nn.Module,
                     items: Sequence[dict],
                     with_embeddings: bool = False) -> List[TextDetDataSample]:
    """:func:`detect` on images already through :func:`test_pipeline` (e.g. by the workers
    of :func:`~tcm.apis.image_loader.image_loader`)."""
    data = model.data_preprocessor(pseudo_collate(list(items)), False)
    if with_embeddings:
        return model.predict(data['inputs'], data['data_samples'], with_embeddings=True)
    return model.predict(data['inputs'], data['data_samples'])
