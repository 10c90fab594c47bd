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

from ..utils.configs import read_config
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
            if not osp.isfile(path):
                raise FileNotFoundError(f'{what} file not found: {path}')
        self.inferencer = TextRecInferencer(
            model=read_config(config), weights=weights, device=device)

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


def run_inference(model: nn.Module,
                  paths: Sequence[str],
                  out_dir: str,
                  batch_size: int = 1,
                  recognizer: Optional[TextRecognizer] = None,
                  explain: bool = False,
                  progress: bool = True) -> InferenceSummary:
    """Detect text in ``paths`` and write, per image, ``out_dir/preds/NAME.json`` (polygons,
    scores and, with a recognizer, texts) and ``out_dir/vis/NAME.jpg``.

    ``explain`` also writes ``out_dir/explain/NAME_score_map.jpg`` and
    ``NAME_visual_prompt.jpg`` (TCM models). Unreadable files are reported by name,
    skipped and counted; the run goes on.
    """
    from ..visualization import draw_polygons, score_map_overlay, visual_prompt_figure
    for sub in ('preds', 'vis') + (('explain', ) if explain else ()):
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
            with open(osp.join(out_dir, 'preds', f'{name}.json'), 'w') as f:
                json.dump(result, f)
            cv2.imwrite(osp.join(out_dir, 'vis', f'{name}.jpg'), drawn)
            if explain and 'score_map' in sample:
                cv2.imwrite(
                    osp.join(out_dir, 'explain', f'{name}_score_map.jpg'),
                    score_map_overlay(image, sample, tau))
                cv2.imwrite(
                    osp.join(out_dir, 'explain', f'{name}_visual_prompt.jpg'),
                    visual_prompt_figure(image, sample, sample.image_embedding,
                                         sample.prompted_embedding))
            summary.images += 1
            summary.instances += len(polygons)
        bar.update(len(paths[first:first + batch_size]))
    bar.close()
    summary.seconds = time.perf_counter() - start
    return summary
