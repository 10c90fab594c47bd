"""Python entry points for using trained detectors."""
from .batch_inference import InferenceSummary, TextRecognizer, run_inference
from .image_loader import image_loader, list_images, read_image
from .inference import detect, init_detector, predict_prepared

__all__ = [
    'InferenceSummary', 'TextRecognizer', 'detect', 'image_loader', 'init_detector', 'list_images',
    'predict_prepared', 'read_image', 'run_inference'
]
