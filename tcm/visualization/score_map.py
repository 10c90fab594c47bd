"""Drawing what a TCM detector saw: its score map and its visual prompt, over the image."""
from typing import Tuple

import cv2
import numpy as np
import torch
from mmocr.structures import TextDetDataSample
from torch import Tensor


def _valid_region(grid: Tensor, sample: TextDetDataSample) -> Tensor:
    """The part of a ``(..., H/32, W/32)`` map over the resized image, not its padding."""
    img_h, img_w = sample.img_shape[:2]
    pad_h, pad_w = sample.batch_input_shape
    h = max(1, round(grid.shape[-2] * img_h / pad_h))
    w = max(1, round(grid.shape[-1] * img_w / pad_w))
    return grid[..., :h, :w]


def _resize_to(image: np.ndarray, array: np.ndarray) -> np.ndarray:
    return cv2.resize(array, (image.shape[1], image.shape[0]), interpolation=cv2.INTER_LINEAR)


def score_map_overlay(image: np.ndarray,
                      sample: TextDetDataSample,
                      tau: float = 0.07,
                      alpha: float = 0.5) -> np.ndarray:
    """Blend ``sigmoid(score / tau)``, the text probability the auxiliary loss trains, over ``image``.

    ``image`` is the original BGR image; ``sample`` a prediction of a TCM detector
    (``TCMDetector.predict`` stores each image's ``score_map``).
    """
    score = _valid_region(sample.score_map[0].float(), sample)
    prob = _resize_to(image, torch.sigmoid(score / tau).cpu().numpy())
    heat = cv2.applyColorMap((prob * 255).astype(np.uint8), cv2.COLORMAP_JET)
    return cv2.addWeighted(image, 1 - alpha, heat, alpha, 0)


def embeddings_to_rgb(*embeddings: Tensor) -> Tuple[np.ndarray, ...]:
    """Project ``(C, h, w)`` embeddings on their 3 shared principal components, as RGB images.

    One basis serves all inputs, so colours are comparable between them.
    """
    tokens = [torch.nn.functional.normalize(e.float().flatten(1).t(), dim=1) for e in embeddings]
    stacked = torch.cat(tokens)
    mean = stacked.mean(dim=0)
    _, _, basis = torch.linalg.svd(stacked - mean, full_matrices=False)
    projected = [(t - mean) @ basis[:3].t() for t in tokens]
    low = torch.cat(projected).amin(dim=0)
    high = torch.cat(projected).amax(dim=0)
    images = []
    for e, p in zip(embeddings, projected):
        rgb = ((p - low) / (high - low).clamp_min(1e-6)).reshape(*e.shape[1:], 3)
        images.append((rgb.cpu().numpy() * 255).astype(np.uint8))
    return tuple(images)


def visual_prompt_figure(image: np.ndarray, sample: TextDetDataSample, image_embedding: Tensor,
                         prompted_embedding: Tensor) -> np.ndarray:
    """The image, its CLIP image embedding and the embedding after the visual prompt, side by side.

    Embeddings are ``(C, H/32, W/32)`` maps of one image (``TCMDetector.predict`` with
    ``with_embeddings=True``),
    shown as colours of their shared principal components (the paper's Fig. 7).
    """
    before, after = embeddings_to_rgb(
        _valid_region(image_embedding, sample), _valid_region(prompted_embedding, sample))
    panels = [image] + [
        cv2.resize(p[..., ::-1], (image.shape[1], image.shape[0]), interpolation=cv2.INTER_NEAREST)
        for p in (before, after)
    ]
    return np.concatenate(panels, axis=1)


def draw_polygons(image: np.ndarray, sample: TextDetDataSample, color=(0, 255, 0)) -> np.ndarray:
    """Draw ``pred_instances.polygons`` with their scores on a copy of ``image``."""
    canvas = image.copy()
    instances = sample.pred_instances
    for polygon, score in zip(instances.polygons, instances.scores.tolist()):
        points = np.round(np.asarray(polygon).reshape(-1, 2)).astype(np.int32)
        cv2.polylines(canvas, [points], True, color, 2)
        x, y = points.min(axis=0)
        cv2.putText(canvas, f'{score:.2f}', (int(x), max(int(y) - 3, 10)), cv2.FONT_HERSHEY_SIMPLEX,
                    0.4, color, 1, cv2.LINE_AA)
    return canvas
