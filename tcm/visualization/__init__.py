"""What tcm's detectors see, drawn."""
from .score_map import draw_polygons, score_map_overlay

__all__ = ['draw_polygons', 'score_map_overlay']
