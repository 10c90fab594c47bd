"""Writing datasets in MMOCR's textdet layout, all or nothing."""
import contextlib
import json
import os
import os.path as osp
import shutil
import tempfile
from typing import Dict, Iterator, List

METAINFO = dict(
    dataset_type='TextDetDataset', task_name='textdet', category=[dict(id=0, name='text')])


def write_textdet_json(path: str, data_list: List[Dict]) -> None:
    """``{"metainfo": ..., "data_list": [...]}`` as MMOCR's ``OCRDataset`` reads it."""
    with open(path, 'w') as f:
        json.dump(dict(metainfo=METAINFO, data_list=data_list), f)


@contextlib.contextmanager
def new_dataset_dir(out_dir: str) -> Iterator[str]:
    """Yield a temporary folder beside ``out_dir``; rename it to ``out_dir`` on success.

    ``out_dir`` must not exist; on any error the temporary folder is removed, so an
    interrupted conversion leaves nothing half-written.
    """
    if osp.exists(out_dir):
        raise FileExistsError(f'{out_dir} already exists; remove it first')
    parent = osp.dirname(osp.abspath(out_dir))
    os.makedirs(parent, exist_ok=True)
    work = tempfile.mkdtemp(prefix='.' + osp.basename(out_dir) + '-', dir=parent)
    try:
        yield work
        os.rename(work, out_dir)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
