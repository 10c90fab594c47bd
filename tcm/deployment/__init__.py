"""Deploying tcm's detectors: ONNX export of the network and an ONNX Runtime backend that feeds
MMOCR's post-processing."""
from .onnx_export import TensorForward, export_onnx, onnx_difference
from .onnxruntime_detector import OnnxRuntimeDetector, build_onnxruntime_detector

__all__ = [
    'OnnxRuntimeDetector', 'TensorForward', 'build_onnxruntime_detector', 'export_onnx',
    'onnx_difference'
]
