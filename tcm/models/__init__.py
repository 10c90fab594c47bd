"""tcm's models, registered in MMOCR's ``MODELS`` registry."""
from .clip import *  # noqa: F401,F403
from .detectors import *  # noqa: F401,F403
from .heads import *  # noqa: F401,F403
from .tcm import *  # noqa: F401,F403
