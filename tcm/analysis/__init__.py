"""Measuring tcm's models: inference speed, where a training iteration's time goes, FLOPs and
parameters."""
from .benchmark import benchmark, build_for_benchmark, build_model, dummy_batch
from .complexity import complexity, parameter_counts
from .train_time_split import pipeline_seconds, synthetic_batch, train_step_split

__all__ = [
    'benchmark', 'build_for_benchmark', 'build_model', 'complexity', 'dummy_batch',
    'parameter_counts', 'pipeline_seconds', 'synthetic_batch', 'train_step_split'
]
