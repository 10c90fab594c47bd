"""ONNX export of a detector's network: the tensor-mode forward (backbone, TCM, neck, head; no
post-processing), with a dynamic batch, height and width (multiples of 32)."""
import os
import os.path as osp
from typing import Sequence, Tuple

import torch
from torch import Tensor, nn
from torch.utils import _pytree

from ..utils.atomic import make_temp_file

#: ONNX metadata key holding the head output's structure, to rebuild it from the flat outputs
OUTPUT_TREE = 'tcm_output_tree'


class TensorForward(nn.Module):
    """``model(inputs, mode='tensor')`` as a flat tuple of tensors; ``tree`` (set by the first
    call) is the structure that :func:`torch.utils._pytree.tree_unflatten` rebuilds."""

    def __init__(self, model: nn.Module) -> None:
        super().__init__()
        self.model = model
        self.tree = None

    def forward(self, inputs: Tensor) -> Tuple[Tensor, ...]:
        leaves, self.tree = _pytree.tree_flatten(self.model(inputs, mode='tensor'))
        return tuple(leaves)


def export_onnx(model: nn.Module,
                path: str,
                example_size: Tuple[int, int] = (256, 320),
                opset: int = 18) -> str:
    """Write ``model``'s network (in eval mode) to ``path`` as ONNX, atomically, and return it.

    The example input has batch 2 (torch.export fixes a size seen as 1) and ``example_size``;
    batch, height and width stay dynamic, the two sides as multiples of 32, which every
    detector's strides need. FastTCM's text branch, which depends on no input, is stored as a
    constant, as its cache serves it in PyTorch.
    """
    import onnx
    from torch.export import Dim
    net = TensorForward(model.eval()).eval()
    example = torch.randn(2, 3, *example_size, generator=torch.Generator().manual_seed(0))
    with torch.no_grad():
        outputs = net(example)
    height, width = Dim('height_32', min=1, max=256), Dim('width_32', min=1, max=256)
    shapes = {'inputs': {0: Dim('batch', min=1, max=1024), 2: 32 * height, 3: 32 * width}}
    folder = osp.dirname(osp.abspath(path))
    os.makedirs(folder, exist_ok=True)
    handle, tmp = make_temp_file(folder, '.' + osp.basename(path) + '.')
    os.close(handle)
    try:
        if hasattr(model, 'meta_query'):  # FastTCM: a text branch that reads no input
            with torch.no_grad():
                text = model.encode_text(model.meta_query[None])
            model.encode_text = lambda query: text  # an instance attribute, removed below
        # with autograd on, as a training forward sees the model: FastTCM's text-branch cache
        # (which reads tensor storage) is for inference in PyTorch only
        program = torch.onnx.export(
            net, (example, ),
            input_names=['inputs'],
            output_names=[f'output_{i}' for i in range(len(outputs))],
            dynamic_shapes=shapes,
            opset_version=opset,
            dynamo=True,
            verbose=False)
        proto = program.model_proto
        meta = proto.metadata_props.add()
        meta.key, meta.value = OUTPUT_TREE, _pytree.treespec_dumps(net.tree)
        onnx.save(proto, tmp)
        os.replace(tmp, path)
    finally:
        model.__dict__.pop('encode_text', None)
        if osp.exists(tmp):
            os.remove(tmp)
    return path


@torch.no_grad()
def onnx_difference(model: nn.Module, path: str, shapes: Sequence[Tuple[int, int, int,
                                                                        int]]) -> float:
    """The largest absolute difference between ``model``'s tensor-mode outputs and those of
    the ONNX file at ``path`` run by ONNX Runtime, over random inputs of ``shapes``."""
    from .onnxruntime_detector import onnxruntime_session
    session = onnxruntime_session(path, 'cpu')
    net = TensorForward(model.eval())
    worst = 0.0
    for i, shape in enumerate(shapes):
        inputs = torch.randn(*shape, generator=torch.Generator().manual_seed(i + 1))
        expected = net(inputs)
        got = session.run(None, {'inputs': inputs.numpy()})
        for e, g in zip(expected, got):
            worst = max(worst, float((e - torch.from_numpy(g)).abs().max()))
    return worst
