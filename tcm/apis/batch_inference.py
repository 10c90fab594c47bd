"""Detection (and optional recognition) over image files and folders, with outputs per image."""
import json
import os
import os.path as osp
import time
import warnings
from dataclasses import dataclass, field
from typing import List, Optional, Sequence, Tuple

import cv2
import numpy as np
from mmocr.utils import warp_img
from torch import nn
from tqdm import tqdm

from ..utils.atomic import atomic_write
from ..utils.checkpoint_io import load_weights
from ..utils.configs import read_config
from ..utils.errors import InputError
from .inference import detect


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


def run_inference(model: nn.Module,
                  paths: Sequence[str],
                  out_dir: str,
                  batch_size: int = 1,
                  recognizer: Optional[TextRecognizer] = None,
                  explain: bool = False,
                  progress: bool = True,
                  force: bool = False) -> InferenceSummary:
    """Detect text in ``paths`` and write, per image, ``out_dir/preds/NAME.json`` (polygons,
    scores and, with a recognizer, texts) and ``out_dir/vis/NAME.jpg``.

    ``explain`` also writes ``out_dir/explain/NAME_score_map.jpg`` and
    ``NAME_visual_prompt.jpg`` (TCM models). Unreadable files are reported by name,
    skipped and counted; the run goes on. Every file is written atomically and checked; an
    ``out_dir`` with an earlier run's results needs ``force`` (which removes them).
    """
    from ..visualization import draw_polygons, score_map_overlay, visual_prompt_figure
    if batch_size < 1:
        raise InputError(f'batch size must be at least 1, got {batch_size}')
    prepare_out_dir(out_dir, force)
    for sub in OUTPUT_FOLDERS[:2] + (OUTPUT_FOLDERS[2:] if explain else ()):
        os.makedirs(osp.join(out_dir, sub), exist_ok=True)
    tau = getattr(getattr(model, 'aux_loss', None), 'tau', 0.07)
    names, summary, start = _OutputNames(), InferenceSummary(), time.perf_counter()
    bar = tqdm(total=len(paths), desc='Inference', unit='img', disable=not progress)
    for first in range(0, len(paths), batch_size):
        batch = []
        for path in paths[first:first + batch_size]:
            image = read_image(path)
            if image is None:
                warnings.warn(f'skipped {path}: not a readable image')
                summary.skipped.append((path, 'not a readable image'))
            else:
                batch.append((path, image))
        samples = detect(model, [image for _, image in batch], with_embeddings=explain) \
            if batch else []
        for (path, image), sample in zip(batch, samples):
            name = names(path)
            polygons = [np.asarray(p).tolist() for p in sample.pred_instances.polygons]
            result = dict(
                img_path=path, polygons=polygons, scores=sample.pred_instances.scores.tolist())
            drawn = draw_polygons(image, sample)
            if recognizer is not None:
                result['texts'], result['text_scores'] = recognizer(image, polygons)
                for polygon, text in zip(polygons, result['texts']):
                    x, y = np.asarray(polygon).reshape(-1, 2).min(axis=0)
                    cv2.putText(drawn, text, (int(x), int(y) + 14), cv2.FONT_HERSHEY_SIMPLEX, 0.5,
                                (0, 0, 255), 1, cv2.LINE_AA)
            _write_json(osp.join(out_dir, 'preds', f'{name}.json'), result)
            _write_image(osp.join(out_dir, 'vis', f'{name}.jpg'), drawn)
            if explain and 'score_map' in sample:
                _write_image(
                    osp.join(out_dir, 'explain', f'{name}_score_map.jpg'),
                    score_map_overlay(image, sample, tau))
                _write_image(
                    osp.join(out_dir, 'explain', f'{name}_visual_prompt.jpg'),
                    visual_prompt_figure(image, sample, sample.image_embedding,
                                         sample.prompted_embedding))
            summary.images += 1
            summary.instances += len(polygons)
        bar.update(len(paths[first:first + batch_size]))
    bar.close()
    summary.seconds = time.perf_counter() - start
    return summary
