"""What tcm's detectors see, drawn."""
from .score_map import draw_polygons, embeddings_to_rgb, score_map_overlay, visual_prompt_figure

__all__ = ['draw_polygons', 'embeddings_to_rgb', 'score_map_overlay', 'visual_prompt_figure']
