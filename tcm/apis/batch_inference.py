"""Detection (and optional recognition) over image files and folders, with outputs per image."""
import json
import os
import os.path as osp
import time
import warnings
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Callable, List, Optional, Sequence, Tuple

import cv2
import numpy as np
from mmocr.utils import warp_img
from torch import nn
from tqdm import tqdm

from ..utils.atomic import atomic_write
from ..utils.checkpoint_io import load_weights
from ..utils.configs import read_config
from ..utils.errors import InputError
from .image_loader import image_loader
from .inference import predict_prepared


@dataclass
class InferenceSummary:
    """What a run did: images processed, instances found, files skipped (with why), seconds."""
    images: int = 0
    instances: int = 0
    skipped: List[Tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0

    def line(self) -> str:
        rate = self.images / self.seconds if self.seconds else 0.0
        return (f'{self.images} images, {self.instances} text instances, {len(self.skipped)} '
                f'skipped, {self.seconds:.1f} s ({rate:.2f} images/s)')


class TextRecognizer:
    """An MMOCR text recognizer applied to the detected polygons of an image."""

    def __init__(self, config: str, weights: str, device: str = 'cpu') -> None:
        from mmocr.apis import TextRecInferencer
        for path, what in ((config, 'recognizer config'), (weights, 'recognizer weights')):
            if not osp.exists(path):
                raise FileNotFoundError(f'{what} file not found: {path}')
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')  # "weights is None": they are loaded below
            self.inferencer = TextRecInferencer(model=read_config(config), device=device)
        load_weights(self.inferencer.model, weights, weights, config)

    def __call__(self, image: np.ndarray, polygons: Sequence) -> Tuple[List[str], List[float]]:
        """Texts and scores of the polygons' minimum-area rectangles, cropped upright."""
        if not len(polygons):
            return [], []
        crops = []
        for polygon in polygons:
            rect = cv2.minAreaRect(np.asarray(polygon, np.float32).reshape(-1, 2))
            crops.append(warp_img(image, cv2.boxPoints(rect).flatten().tolist()))
        predictions = self.inferencer(crops, progress_bar=False)['predictions']
        return [p['text'] for p in predictions], [float(p['scores']) for p in predictions]


class _OutputNames:
    """Unique output names from image file names (``img.jpg``, ``img_2`` for a second one)."""

    def __init__(self) -> None:
        self.used = set()

    def __call__(self, path: str) -> str:
        stem, name, n = osp.splitext(osp.basename(path))[0], None, 1
        while name is None or name in self.used:
            name = stem if n == 1 else f'{stem}_{n}'
            n += 1
        self.used.add(name)
        return name


OUTPUT_FOLDERS = ('preds', 'vis', 'explain')


def prepare_out_dir(out_dir: str, force: bool = False) -> None:
    """Make ``out_dir`` ready for one run's results: results of an earlier run there are
    refused, or with ``force`` removed (so the folder never mixes two runs)."""
    if osp.exists(out_dir) and not osp.isdir(out_dir):
        raise InputError(f'--out-dir {out_dir}: a file, not a folder')
    earlier = [
        osp.join(out_dir, sub, name) for sub in OUTPUT_FOLDERS if osp.isdir(osp.join(out_dir, sub))
        for name in os.listdir(osp.join(out_dir, sub))
    ]
    if earlier and not force:
        raise InputError(f'--out-dir {out_dir} holds {len(earlier)} results of an earlier run; '
                         'pass --force to replace them, or choose another folder')
    for path in earlier:
        os.remove(path)


def _write_image(path: str, image: np.ndarray) -> None:
    """Encode, then write atomically: a full disk is an error, never a missing picture."""
    ok, data = cv2.imencode('.jpg', image)
    if not ok:
        raise OSError(f'{path}: could not be encoded as JPEG')
    with atomic_write(path, force=True) as f:
        f.write(data.tobytes())


def _write_json(path: str, result: dict) -> None:
    with atomic_write(path, 'w', force=True) as f:
        json.dump(result, f)


class _Writer:
    """Writes the outputs in one thread while the model runs on the next batch, at most
    ``backlog`` images behind; a failed write is raised by a later call, and ``close`` drops
    what waits behind it."""

    def __init__(self, backlog: int) -> None:
        self.pool = ThreadPoolExecutor(1, 'tcm-writer')
        self.pending, self.backlog = deque(), backlog

    def submit(self, fn: Callable, *args) -> None:
        self.pending.append(self.pool.submit(fn, *args))
        while self.pending and (self.pending[0].done() or len(self.pending) > self.backlog):
            self.pending.popleft().result()

    def wait(self) -> None:
        while self.pending:
            self.pending.popleft().result()

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


def _write_outputs(out_dir: str, name: str, image: np.ndarray, sample, result: dict, explain: bool,
                   tau: float) -> None:
    from ..visualization import draw_polygons, score_map_overlay, visual_prompt_figure
    drawn = draw_polygons(image, sample)
    for polygon, text in zip(result['polygons'], result.get('texts', ())):
        x, y = np.asarray(polygon).reshape(-1, 2).min(axis=0)
        cv2.putText(drawn, text, (int(x), int(y) + 14), cv2.FONT_HERSHEY_SIMPLEX, 0.5, (0, 0, 255),
                    1, cv2.LINE_AA)
    _write_json(osp.join(out_dir, 'preds', f'{name}.json'), result)
    _write_image(osp.join(out_dir, 'vis', f'{name}.jpg'), drawn)
    if explain and 'score_map' in sample:
        _write_image(
            osp.join(out_dir, 'explain', f'{name}_score_map.jpg'),
            score_map_overlay(image, sample, tau))
        _write_image(
            osp.join(out_dir, 'explain', f'{name}_visual_prompt.jpg'),
            visual_prompt_figure(image, sample, sample.image_embedding, sample.prompted_embedding))


def run_inference(model: nn.Module,
                  paths: Sequence[str],
                  out_dir: str,
                  batch_size: int = 1,
                  recognizer: Optional[TextRecognizer] = None,
                  explain: bool = False,
                  progress: bool = True,
                  force: bool = False,
                  num_workers: int = 2) -> InferenceSummary:
    """Detect text in ``paths`` and write, per image, ``out_dir/preds/NAME.json`` (polygons,
    scores and, with a recognizer, texts) and ``out_dir/vis/NAME.jpg``.

    ``explain`` also writes ``out_dir/explain/NAME_score_map.jpg`` and
    ``NAME_visual_prompt.jpg`` (TCM models). Images are read and prepared by ``num_workers``
    processes (0: in this one) and the outputs written by a thread, both while the model
    runs. Unreadable files are reported by name, skipped and counted; the run goes on. Every
    file is written atomically and checked; an ``out_dir`` with an earlier run's results
    needs ``force`` (which removes them).
    """
    if batch_size < 1:
        raise InputError(f'batch size must be at least 1, got {batch_size}')
    if num_workers < 0:
        raise InputError(f'the number of workers cannot be negative, got {num_workers}')
    prepare_out_dir(out_dir, force)
    for sub in OUTPUT_FOLDERS[:2] + (OUTPUT_FOLDERS[2:] if explain else ()):
        os.makedirs(osp.join(out_dir, sub), exist_ok=True)
    tau = getattr(getattr(model, 'aux_loss', None), 'tau', 0.07)
    names, summary, start = _OutputNames(), InferenceSummary(), time.perf_counter()
    bar = tqdm(total=len(paths), desc='Inference', unit='img', disable=not progress)
    writer = _Writer(backlog=2 * batch_size)
    try:
        for batch in image_loader(paths, model.cfg, batch_size, num_workers):
            readable = [record for record in batch if record['image'] is not None]
            for record in batch:
                if record['image'] is None:
                    warnings.warn(f'skipped {record["path"]}: not a readable image')
                    summary.skipped.append((record['path'], 'not a readable image'))
            samples = predict_prepared(model, [r['item'] for r in readable], explain) \
                if readable else []
            for record, sample in zip(readable, samples):
                polygons = [np.asarray(p).tolist() for p in sample.pred_instances.polygons]
                result = dict(
                    img_path=record['path'],
                    polygons=polygons,
                    scores=sample.pred_instances.scores.tolist())
                if recognizer is not None:
                    result['texts'], result['text_scores'] = recognizer(record['image'], polygons)
                writer.submit(_write_outputs, out_dir, names(record['path']), record['image'],
                              sample, result, explain, tau)
                summary.images += 1
                summary.instances += len(polygons)
            bar.update(len(batch))
        writer.wait()
    finally:
        writer.close()
        bar.close()
    summary.seconds = time.perf_counter() - start
    return summary
