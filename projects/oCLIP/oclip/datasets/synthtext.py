"""SynthText's ``gt.mat`` as oCLIP's weak labels: each image with the words it shows."""
import os.path as osp
from typing import Iterator, List, Tuple

import numpy as np

from tcm.utils.atomic import atomic_write
from tcm.utils.errors import InputError


def synthtext_words(gt_mat: str) -> Iterator[Tuple[str, List[str]]]:
    """``(image name, words)`` per image: the ``txt`` lines of the image split on any
    whitespace, as the original's ``convert_synthtext_csv.py`` (``charBB`` and ``wordBB`` are
    not used)."""
    import scipy.io
    if not osp.isfile(gt_mat):
        raise InputError(f'{gt_mat}: no such file')
    try:
        gt = scipy.io.loadmat(gt_mat, variable_names=['imnames', 'txt'])
    except (ValueError, NotImplementedError, OSError, scipy.io.matlab.MatReadError) as exc:
        raise InputError(f'{gt_mat}: not a readable MATLAB file ({exc})') from None
    if 'imnames' not in gt or 'txt' not in gt:
        raise InputError(f'{gt_mat}: no imnames and txt variables (not SynthText\'s gt.mat)')
    for name, lines in zip(gt['imnames'].ravel(), gt['txt'].ravel()):
        text = '\n'.join(str(line) for line in np.atleast_1d(lines).ravel())
        yield str(np.atleast_1d(name).ravel()[0]), text.split()


def write_words_tsv(pairs, out_file: str, force: bool = False) -> int:
    """Write ``filepath<TAB>title`` rows (the words joined by spaces) atomically; returns how
    many."""
    count = 0
    with atomic_write(out_file, 'w', force=force, encoding='utf-8') as f:
        f.write('filepath\ttitle\n')  # unquoted, as the original reads it (QUOTE_NONE)
        for path, words in pairs:
            if any(c in path for c in '\t\n\r'):
                raise InputError(f'{path!r}: a tab or line break in an image path')
            f.write(f'{path}\t{" ".join(words)}\n')  # the words hold no whitespace
            count += 1
    return count
