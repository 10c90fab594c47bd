"""ONNX export of every TCM family and FastTCM on a tiny CLIP: the graph's head output within
1e-4 of PyTorch at other batch sizes and input sizes than it was traced with, and MMOCR's
post-processing on ONNX Runtime's outputs giving PyTorch's polygons."""
import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmocr.registry import MODELS

from tcm.deployment import build_onnxruntime_detector, export_onnx, onnx_difference
from tcm.utils import InputError, find_config

from builders import tiny_model_cfg, two_boxes

FAMILIES = [
    'tcm-dbnet_clip-r50_fpnc_1200e_icdar2015.py', 'fasttcm-dbnet_clip-r50_fpnc_1200e_icdar2015.py',
    'tcm-dbnetpp_clip-r50_fpnc_1200e_icdar2015.py', 'tcm-fcenet_clip-r50_fpn_1500e_icdar2015.py',
    'tcm-panet_clip-r50_fpem-ffm_1200e_icdar2015.py', 'tcm-psenet_clip-r50_fpnf_600e_icdar2015.py'
]


@pytest.mark.slow
@pytest.mark.parametrize('name', FAMILIES, ids=lambda n: n.split('_')[0])
def test_exported_graph_matches_pytorch_and_gives_its_polygons(name, tmp_path):
    torch.manual_seed(0)
    model = MODELS.build(tiny_model_cfg(name)).eval()
    path = export_onnx(model, str(tmp_path / 'model.onnx'), (128, 160))
    assert onnx_difference(model, path, [(1, 3, 128, 128), (3, 3, 96, 224)]) < 1e-4
    detector = build_onnxruntime_detector(Config.fromfile(find_config(name)), path)
    inputs, samples = torch.randn(2, 3, 128, 128), two_boxes(2, 128)
    with torch.no_grad():
        expected = model.predict(inputs, [s.clone() for s in samples])
        got = detector.predict(inputs, [s.clone() for s in samples])
    for e, g in zip(expected, got):
        assert len(e.pred_instances.polygons) == len(g.pred_instances.polygons)
        for p, q in zip(e.pred_instances.polygons, g.pred_instances.polygons):
            np.testing.assert_allclose(p, q, atol=1e-3)
        np.testing.assert_allclose(e.pred_instances.scores, g.pred_instances.scores, atol=1e-4)


def test_a_file_that_is_not_onnx_is_one_line(tmp_path):
    bad = tmp_path / 'model.onnx'
    bad.write_bytes(b'not a model')
    cfg = Config.fromfile(find_config(FAMILIES[0]))
    with pytest.raises(InputError, match='model.onnx: not a readable ONNX model'):
        build_onnxruntime_detector(cfg, str(bad))


def test_two_stage_detectors_are_refused_by_name():
    cfg = Config.fromfile(find_config('tcm-mask-rcnn_clip-r50_fpn_160e_icdar2015.py'))
    with pytest.raises(InputError, match='single-stage detectors'):
        build_onnxruntime_detector(cfg, 'unused.onnx')


@pytest.mark.slow
def test_export_at_the_positional_grids_own_size_stays_dynamic(tmp_path):
    """Traced where the input's grid equals CLIP's stored one (64 px: 2x2), the graph still
    resizes the grid for other sizes."""
    torch.manual_seed(0)
    model = MODELS.build(tiny_model_cfg(FAMILIES[0])).eval()
    path = export_onnx(model, str(tmp_path / 'model.onnx'), (64, 64))
    assert onnx_difference(model, path, [(2, 3, 96, 128)]) < 1e-4
