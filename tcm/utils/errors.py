"""The error tcm raises for predictable user mistakes."""


class InputError(ValueError):
    """A bad config value, file or argument, explained in one line.

    tcm's command-line tools print these (and missing files) as ``error: ...``
    without a traceback; anything else keeps its traceback, since it is a bug.
    """
