"""Python entry points for using trained detectors."""
from .batch_inference import (InferenceSummary, TextRecognizer, list_images, read_image,
                              run_inference)
from .inference import detect, init_detector

__all__ = [
    'InferenceSummary', 'TextRecognizer', 'detect', 'init_detector', 'list_images', 'read_image',
    'run_inference'
]
