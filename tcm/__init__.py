"""tcm: TCM (Turning a CLIP Model into a Scene Text Detector) on MMOCR 1.x.

Importing ``tcm`` registers its modules in MMOCR's registries (configs use
``custom_imports = dict(imports=['tcm'])`` and ``default_scope = 'mmocr'``).
"""
from . import apis, datasets, engine, models, visualization  # noqa: F401  (registration)
from .engine import allow_mmengine_checkpoints
from .models import TCMDetector
from .version import __version__

allow_mmengine_checkpoints()

__all__ = ['TCMDetector', '__version__']
