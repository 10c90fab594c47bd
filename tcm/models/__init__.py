"""tcm's models, registered in MMOCR's ``MODELS`` registry: the CLIP core, the TCM plug-in,
the detectors built from them, and the heads and losses MMOCR lacks."""
from .clip import *  # noqa: F401,F403
from .detectors import *  # noqa: F401,F403
from .heads import *  # noqa: F401,F403
from .losses import *  # noqa: F401,F403
from .tcm import *  # noqa: F401,F403
