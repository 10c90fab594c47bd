"""Python entry points for using trained detectors."""
from .inference import detect, init_detector

__all__ = ['detect', 'init_detector']
