"""An MMOCR text detector whose network runs in ONNX Runtime: the exported graph gives the head's
raw output, MMOCR's post-processor of the config turns it into polygons."""
from typing import Dict, Optional, Sequence

import torch
from mmocr.models.textdet.detectors.base import BaseTextDetector
from mmocr.registry import MODELS
from mmocr.structures import TextDetDataSample
from torch import Tensor
from torch.utils import _pytree

from ..utils.errors import InputError
from .onnx_export import OUTPUT_TREE


def onnxruntime_session(path: str, device: str = 'cpu'):
    """An ONNX Runtime session of ``path`` on ``device`` ('cpu', or 'cuda' where the CUDA
    provider is installed); a file that is not an ONNX model is one line naming it."""
    import onnxruntime
    providers = ['CPUExecutionProvider']
    if device.startswith('cuda'):
        if 'CUDAExecutionProvider' not in onnxruntime.get_available_providers():
            raise InputError('--device cuda with --backend onnxruntime needs onnxruntime-gpu '
                             '(this onnxruntime has no CUDA provider)')
        providers.insert(0, 'CUDAExecutionProvider')
    options = onnxruntime.SessionOptions()
    options.log_severity_level = 3  # errors only: the optimiser's notes are not the user's
    try:
        return onnxruntime.InferenceSession(path, options, providers=providers)
    except Exception as exc:  # onnxruntime raises its own exception types
        raise InputError(f'{path}: not a readable ONNX model ({str(exc).splitlines()[0]})') \
            from None


class OnnxRuntimeDetector(BaseTextDetector):
    """``predict`` / ``forward(mode='tensor')`` of a text detector from an ONNX file of its
    network (``tools/deployment/export_onnx.py``) and its config's data preprocessor and
    post-processor, so MMOCR's inferencers and tcm's tools use it as the PyTorch model."""

    def __init__(self,
                 onnx_file: str,
                 det_head: Dict,
                 data_preprocessor: Optional[Dict] = None,
                 device: str = 'cpu') -> None:
        super().__init__(data_preprocessor=data_preprocessor)
        self.onnx_file = onnx_file
        self.session = onnxruntime_session(onnx_file, device)
        tree = self.session.get_modelmeta().custom_metadata_map.get(OUTPUT_TREE)
        if tree is None:
            raise InputError(f'{onnx_file}: not exported by tcm (no {OUTPUT_TREE} metadata); '
                             'export it with tools/deployment/export_onnx.py')
        self.tree = _pytree.treespec_loads(tree)
        # the head sets up its post-processor (FCENet's Fourier degree, ...); keep that alone
        self.postprocessor = MODELS.build(det_head).postprocessor

    def _forward(self, inputs: Tensor, data_samples=None, **kwargs):
        arrays = self.session.run(None, {'inputs': inputs.detach().cpu().float().numpy()})
        outputs = [torch.from_numpy(a).to(inputs.device) for a in arrays]
        return _pytree.tree_unflatten(outputs, self.tree)

    def predict(self, inputs: Tensor,
                data_samples: Sequence[TextDetDataSample]) -> Sequence[TextDetDataSample]:
        return self.postprocessor(self._forward(inputs), data_samples)

    def extract_feat(self, inputs: Tensor):
        raise InputError('an ONNX Runtime detector gives the head output only')

    def loss(self, inputs: Tensor, data_samples: Sequence[TextDetDataSample]) -> Dict:
        raise InputError('an ONNX Runtime detector cannot be trained; train the PyTorch model')


def build_onnxruntime_detector(cfg, onnx_file: str, device: str = 'cpu') -> OnnxRuntimeDetector:
    """The ONNX Runtime detector for config ``cfg`` (an MMEngine ``Config``)."""
    model = cfg.model
    if 'det_head' not in model:
        raise InputError(f'{cfg.filename}: --backend onnxruntime serves single-stage detectors '
                         f'(a det_head and its postprocessor), not {model["type"]}')
    return OnnxRuntimeDetector(
        onnx_file,
        det_head=model.det_head,
        data_preprocessor=model.get('data_preprocessor'),
        device=device)
