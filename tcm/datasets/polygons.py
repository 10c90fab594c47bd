"""Checking and repairing annotated text polygons before they reach the pipelines."""
import math
from typing import List, Optional, Tuple

from shapely.geometry import MultiPolygon, Polygon
from shapely.validation import make_valid


def sanitize_polygon(points,
                     width: Optional[float] = None,
                     height: Optional[float] = None) -> Tuple[Optional[List[float]], str]:
    """Return ``(polygon, note)``: a usable flat polygon, or None and why it is unusable.

    Policy: a polygon that is not a list of numbers, has fewer than 3 points, an odd
    number of coordinates or a NaN/infinite value is unusable. Points outside the
    image are clipped to it (when its size is known); a self-intersecting polygon is
    repaired to its largest valid part. ``note`` says what was changed ('' if nothing).
    """
    if not isinstance(points, (list, tuple)) or not all(
            isinstance(v, (int, float)) and not isinstance(v, bool) for v in points):
        return None, 'is not a list of numbers'
    if len(points) % 2:
        return None, f'has an odd number of coordinates ({len(points)})'
    if len(points) < 6:
        return None, f'has fewer than 3 points ({len(points) // 2})'
    if not all(math.isfinite(v) for v in points):
        return None, 'has NaN or infinite coordinates'
    notes = []
    xs, ys = list(points[0::2]), list(points[1::2])
    if width is not None and height is not None:
        clipped_x = [min(max(x, 0.0), float(width)) for x in xs]
        clipped_y = [min(max(y, 0.0), float(height)) for y in ys]
        if (clipped_x, clipped_y) != (xs, ys):
            notes.append('clipped to the image')
            xs, ys = clipped_x, clipped_y
    shape = Polygon(list(zip(xs, ys)))
    coords = list(zip(xs, ys))
    if not shape.is_valid:
        repaired = make_valid(shape)
        parts = [g for g in getattr(repaired, 'geoms', [repaired]) if isinstance(g, Polygon)]
        parts += [
            p for g in getattr(repaired, 'geoms', []) if isinstance(g, MultiPolygon)
            for p in g.geoms
        ]
        if not parts:
            return None, 'has no area'
        shape = max(parts, key=lambda p: p.area)
        coords = list(shape.exterior.coords)[:-1]
        notes.append('self-intersecting, repaired')
    if shape.area < 1:
        return None, 'has no area (below 1 pixel)'
    return [round(float(v), 2) for point in coords for v in point], ', '.join(notes)
