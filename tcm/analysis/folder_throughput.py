"""``tools/infer.py``'s whole run over a folder against the network alone on the same inputs:
what reading, decoding, post-processing and writing cost on top of the model."""
import os
import os.path as osp
import shutil
import statistics
import tempfile
from typing import Dict, List, Optional, Sequence, Tuple

import cv2
import numpy as np
import torch
from mmengine.dataset import pseudo_collate

from ..apis import image_loader, list_images, predict_prepared, run_inference
from ..utils.errors import InputError
from .benchmark import build_for_benchmark, timed


def synthetic_photos(folder: str, count: int, size: Tuple[int, int] = (1280, 720)) -> List[str]:
    """``count`` JPEG photos ``size`` (W, H) of printed words on noisy backgrounds (seeded)."""
    width, height = size
    rng = np.random.default_rng(0)
    os.makedirs(folder, exist_ok=True)
    paths = []
    for i in range(count):
        image = np.full((height, width, 3), rng.integers(60, 200, 3), np.uint8)
        image = cv2.add(image, rng.integers(0, 40, image.shape, dtype=np.uint8))
        for _ in range(8):
            word = ''.join(rng.choice(list('ABCDEFGHKMNPRSTW'), 6))
            origin = (int(rng.integers(0, max(1, width * 3 // 4))),
                      int(rng.integers(height // 10, height)))
            cv2.putText(image, word, origin, cv2.FONT_HERSHEY_SIMPLEX,
                        float(rng.uniform(1, 3)) * width / 1280, (20, 20, 20), 3)
        paths.append(osp.join(folder, f'{i:04d}.jpg'))
        cv2.imwrite(paths[-1], image, [cv2.IMWRITE_JPEG_QUALITY, 92])
    return paths


def folder_throughput(configs: Sequence[str],
                      images: Sequence[str],
                      batch_size: int = 1,
                      num_workers: Sequence[int] = (2, 0),
                      rounds: int = 3,
                      device: str = 'cpu',
                      cfg_options: Optional[dict] = None) -> List[Dict]:
    """Seconds per image of each config's network alone (tensor mode on the folder's first
    batch, as the data preprocessor pads it) and of :func:`~tcm.apis.run_inference` over
    ``images`` with each of ``num_workers``; the median of ``rounds``, all interleaved.

    Models get random weights, so post-processing sees what a random network predicts.
    """
    paths = list_images(images)
    if len(paths) < batch_size:
        raise InputError(f'found {len(paths)} files, fewer than one batch of {batch_size}')
    built = [build_for_benchmark(config, device, cfg_options=cfg_options) for config in configs]
    inputs = []
    for model, cfg in built:
        model.cfg = cfg
        first = next(iter(image_loader(paths[:batch_size], cfg, batch_size, num_workers=0)))
        if any(record['item'] is None for record in first):
            raise InputError(f'the first {batch_size} files are not all readable images')
        inputs.append(model.data_preprocessor(pseudo_collate([r['item'] for r in first]))['inputs'])
        predict_prepared(model, [r['item'] for r in first])  # warm-up (cuDNN's autotuner)
    times = {(i, key): [] for i in range(len(built)) for key in ['model', *num_workers]}
    out = tempfile.mkdtemp(prefix='tcm_throughput_')
    try:
        with torch.no_grad():
            for _ in range(rounds):
                for i, (model, _) in enumerate(built):
                    runs = [
                        timed(lambda: model(inputs[i], mode='tensor'), device) for _ in range(3)
                    ]
                    times[(i, 'model')].append(statistics.median(runs) / batch_size)
                    for workers in num_workers:
                        summary = run_inference(
                            model,
                            paths,
                            out,
                            batch_size,
                            progress=False,
                            force=True,
                            num_workers=workers)
                        times[(i, workers)].append(summary.seconds / max(summary.images, 1))
    finally:
        shutil.rmtree(out, ignore_errors=True)
    return [
        dict(
            config=config,
            shape=tuple(inputs[i].shape[-2:]),
            model=statistics.median(times[(i, 'model')]),
            infer={w: statistics.median(times[(i, w)])
                   for w in num_workers}) for i, config in enumerate(configs)
    ]
