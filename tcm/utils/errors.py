"""The error tcm raises for predictable user mistakes."""


class InputError(ValueError):
    """A bad config value, file or argument, explained in one line.

    tcm's command-line tools print these (and missing files) as ``error: ...``
    without a traceback; anything else keeps its traceback, since it is a bug.
    """


def one_line(exc: BaseException) -> str:
    """An exception as one line; errors re-raised from DataLoader workers carry a traceback
    in their message, of which the last line is the original error."""
    lines = [line.strip() for line in str(exc).strip().splitlines() if line.strip()]
    if not lines:
        return type(exc).__name__
    if 'Original Traceback' in str(exc):
        return lines[-1].split(': ', 1)[-1]
    return lines[0]
