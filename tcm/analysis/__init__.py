"""Measuring tcm's models: inference speed and where a training iteration's time goes."""
from .benchmark import benchmark, build_for_benchmark, build_model, dummy_batch
from .train_time_split import pipeline_seconds, synthetic_batch, train_step_split

__all__ = [
    'benchmark', 'build_for_benchmark', 'build_model', 'dummy_batch', 'pipeline_seconds',
    'synthetic_batch', 'train_step_split'
]
