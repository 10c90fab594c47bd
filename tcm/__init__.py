"""tcm: CLIP for scene text on MMOCR 1.x: TCM and FastTCM detection on a shared CLIP core.

Importing ``tcm`` registers its modules in MMOCR's registries (configs use
``custom_imports = dict(imports=['tcm'])`` and ``default_scope = 'mmocr'``).
"""
from . import apis, datasets, engine, models, visualization  # noqa: F401  (registration)
from .engine import allow_mmengine_checkpoints
from .models import FastTCMDetector, TCMDetector
from .version import __version__

allow_mmengine_checkpoints()

__all__ = ['FastTCMDetector', 'TCMDetector', '__version__']
