"""Measuring tcm's models: inference speed (the network, and tools/infer.py over folders), where
a training iteration's time goes, FLOPs and parameters."""
from .benchmark import benchmark, build_for_benchmark, build_model, dummy_batch
from .complexity import complexity, parameter_counts
from .folder_throughput import folder_throughput, synthetic_photos
from .train_time_split import pipeline_seconds, synthetic_batch, train_step_split

__all__ = [
    'benchmark', 'build_for_benchmark', 'build_model', 'complexity', 'dummy_batch',
    'folder_throughput', 'parameter_counts', 'pipeline_seconds', 'synthetic_batch',
    'synthetic_photos', 'train_step_split'
]
