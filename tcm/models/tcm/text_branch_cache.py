"""A text embedding kept while nothing it is computed from changes (FastTCM's text branch)."""
from typing import Callable, Iterable, Optional, Tuple

from torch import Tensor


class TextBranchCache:
    """The last value of an image-independent computation, keyed on the tensors it reads.

    The key is each tensor's storage address and in-place version counter
    (``Tensor._version``). An optimizer step, ``load_state_dict``, ``.to()``, ``.half()``
    or replacing a parameter changes one of them, so the cache follows every way weights
    change without hooks to register on each parameter or calls to remember; the
    owner clears it whenever gradients may be needed.
    """

    def __init__(self) -> None:
        self._key: Optional[Tuple] = None
        self._value: Optional[Tensor] = None

    def get(self, tensors: Iterable[Tensor], compute: Callable[[], Tensor],
            context: Tuple = ()) -> Tensor:
        """``compute()``, or its stored result if none of ``tensors`` changed since and the
        ``context`` it was computed in (e.g. the autocast state) is the same."""
        key = tuple((t.data_ptr(), t._version) for t in tensors) + tuple(context)
        if self._value is None or key != self._key:
            self._key, self._value = key, compute()
        return self._value

    def clear(self) -> None:
        self._key = self._value = None
