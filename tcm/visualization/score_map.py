"""Drawing the instance-language score map over an image."""
import cv2
import numpy as np
import torch
from mmocr.structures import TextDetDataSample


def score_map_overlay(image: np.ndarray, sample: TextDetDataSample, tau: float = 0.07,
                      alpha: float = 0.5) -> np.ndarray:
    """Blend ``sigmoid(score / tau)``, the text probability the auxiliary loss trains, over ``image``.

    ``image`` is the original BGR image; ``sample`` a prediction of a TCM detector,
    whose ``score_map`` covers the padded network input. The part that covers the
    resized image is cut out and stretched back to the original size.
    """
    score = sample.score_map[0].float()
    img_h, img_w = sample.img_shape[:2]
    pad_h, pad_w = sample.batch_input_shape
    h = max(1, round(score.shape[0] * img_h / pad_h))
    w = max(1, round(score.shape[1] * img_w / pad_w))
    prob = torch.sigmoid(score[:h, :w] / tau).cpu().numpy()
    prob = cv2.resize(prob, (image.shape[1], image.shape[0]), interpolation=cv2.INTER_LINEAR)
    heat = cv2.applyColorMap((prob * 255).astype(np.uint8), cv2.COLORMAP_JET)
    return cv2.addWeighted(image, 1 - alpha, heat, alpha, 0)


def draw_polygons(image: np.ndarray, sample: TextDetDataSample,
                  color=(0, 255, 0)) -> np.ndarray:
    """Draw ``pred_instances.polygons`` with their scores on a copy of ``image``."""
    canvas = image.copy()
    instances = sample.pred_instances
    for polygon, score in zip(instances.polygons, instances.scores.tolist()):
        points = np.round(np.asarray(polygon).reshape(-1, 2)).astype(np.int32)
        cv2.polylines(canvas, [points], True, color, 2)
        x, y = points.min(axis=0)
        cv2.putText(canvas, f'{score:.2f}', (int(x), max(int(y) - 3, 10)),
                    cv2.FONT_HERSHEY_SIMPLEX, 0.4, color, 1, cv2.LINE_AA)
    return canvas
