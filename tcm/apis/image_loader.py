"""Image files read, decoded and put through the test pipeline in worker processes while the
model runs on the previous batch (``tools/infer.py``)."""
import os
import os.path as osp
from typing import Iterator, List, Optional, Sequence

import cv2
import numpy as np
import torch
from mmengine.config import Config
from torch.utils.data import DataLoader, Dataset


def list_images(inputs: Sequence[str]) -> List[str]:
    """Files given directly, plus every (non-hidden) file of the folders given, sorted."""
    paths = []
    for item in inputs:
        if osp.isdir(item):
            paths += sorted(
                osp.join(item, name) for name in os.listdir(item)
                if not name.startswith('.') and osp.isfile(osp.join(item, name)))
        elif osp.isfile(item):
            paths.append(item)
        else:
            raise FileNotFoundError(f'input not found: {item}')
    return paths


def read_image(path: str) -> Optional[np.ndarray]:
    """The BGR image at ``path`` (EXIF orientation applied), or None when it cannot be read."""
    try:
        return cv2.imread(path, cv2.IMREAD_COLOR)
    except cv2.error:
        return None


class ImageFiles(Dataset):
    """``dict(path, image, item)`` per file: the BGR image as a ``(H, W, 3)`` uint8 tensor
    (None when unreadable) and what the config's test pipeline makes of it, for
    :func:`~tcm.apis.inference.predict_prepared`."""

    def __init__(self, paths: Sequence[str], cfg: Config) -> None:
        self.paths, self.cfg, self.pipeline = list(paths), cfg, None

    def __len__(self) -> int:
        return len(self.paths)

    def __getitem__(self, index: int) -> dict:
        if self.pipeline is None:  # built where it runs: a worker started by spawn has none
            import tcm  # noqa: F401  (registers the transforms)

            from .inference import test_pipeline
            self.pipeline = test_pipeline(self.cfg, from_array=True)
        path = self.paths[index]
        image = read_image(path)
        item = None if image is None else self.pipeline(dict(img=image))
        # as a tensor, the image leaves a worker through shared memory, not a pickle
        return dict(path=path, image=None if image is None else torch.from_numpy(image), item=item)


def _lower_priority(worker_id: int) -> None:
    os.nice(10)  # the model's threads first: decoding waits for the cores they leave idle


def image_loader(paths: Sequence[str],
                 cfg: Config,
                 batch_size: int = 1,
                 num_workers: int = 2) -> Iterator[List[dict]]:
    """Batches (lists) of :class:`ImageFiles` records in ``paths``' order, images as BGR
    arrays; with ``num_workers`` 0 they are read in this process, when asked for.

    Workers keep OpenCV's own threading: setting it in a worker forked from a process whose
    OpenCV thread pool has run deadlocks (``cv2.setNumThreads`` waits on the pool's copied
    lock)."""
    loader = DataLoader(
        ImageFiles(paths, cfg),
        batch_size=batch_size,
        num_workers=num_workers,
        collate_fn=list,
        worker_init_fn=_lower_priority if num_workers else None,
        prefetch_factor=2 if num_workers else None)
    for batch in loader:
        for record in batch:
            if record['image'] is not None:
                record['image'] = record['image'].numpy()
        yield batch
