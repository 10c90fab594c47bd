"""Writing datasets in MMOCR's textdet and textrecog layouts, all or nothing."""
import contextlib
import json
import os
import os.path as osp
import shutil
from typing import Callable, Dict, Iterator, List, Sequence, Tuple

import cv2
import numpy as np

from ..utils.atomic import make_temp_dir
from ..utils.errors import InputError

METAINFO = dict(
    dataset_type='TextDetDataset', task_name='textdet', category=[dict(id=0, name='text')])
RECOG_METAINFO = dict(dataset_type='TextRecogDataset', task_name='textrecog')


def write_textdet_json(path: str, data_list: List[Dict], metainfo: Dict = METAINFO) -> None:
    """``{"metainfo": ..., "data_list": [...]}`` as MMOCR's ``OCRDataset`` reads it. NaN and
    infinity are refused: Python's ``json`` would write them, and other readers would fail."""
    try:
        text = json.dumps(dict(metainfo=metainfo, data_list=data_list), allow_nan=False)
    except ValueError as exc:
        raise InputError(f'{path}: not written, a value is NaN or infinite ({exc})') from None
    with open(path, 'w') as f:
        f.write(text)


def write_generated_set(root: str, task: str, counts: Sequence[Tuple[str, int]],
                        sample: Callable[[], Tuple[np.ndarray, Dict]], name: str) -> str:
    """Write ``count`` generated samples per split to ``root`` (which must not exist):
    ``<task>_imgs/<split>/<name>_<i>.jpg`` and ``<task>_<split>.json``, each image's entry
    being what ``sample()`` returned beside it."""
    metainfo = METAINFO if task == 'textdet' else RECOG_METAINFO
    with new_dataset_dir(root) as work:
        for split, count in counts:
            os.makedirs(osp.join(work, f'{task}_imgs', split))
            data_list = []
            for i in range(count):
                img, entry = sample()
                rel = f'{task}_imgs/{split}/{name}_{i}.jpg'
                cv2.imwrite(osp.join(work, rel), img, [cv2.IMWRITE_JPEG_QUALITY, 95])
                data_list.append(dict(img_path=rel, **entry))
            write_textdet_json(osp.join(work, f'{task}_{split}.json'), data_list, metainfo)
    return root


@contextlib.contextmanager
def new_dataset_dir(out_dir: str) -> Iterator[str]:
    """Yield a temporary folder beside ``out_dir``; rename it to ``out_dir`` on success.

    ``out_dir`` must not exist; on any error the temporary folder is removed, so an
    interrupted conversion leaves nothing half-written. The folder gets the user's umask.
    """
    if osp.exists(out_dir):
        raise FileExistsError(f'{out_dir} already exists; remove it first')
    parent = osp.dirname(osp.abspath(out_dir))
    os.makedirs(parent, exist_ok=True)
    work = make_temp_dir(parent, '.' + osp.basename(out_dir) + '-')
    try:
        yield work
        os.rename(work, out_dir)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
