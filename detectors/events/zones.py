"""Which observations of a track have their anchor point inside a zone polygon."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import supervision as sv

from detectors.tracks.history import Observation


def zone_for(polygon: Sequence[tuple[float, float]]) -> sv.PolygonZone:
    """A supervision zone triggered by the bottom-centre of a box: feet, or wheels on the road."""
    return sv.PolygonZone(
        polygon=np.round(np.asarray(polygon, dtype=float)).astype(int),
        triggering_anchors=(sv.Position.BOTTOM_CENTER,),
    )


def inside_flags(zone: sv.PolygonZone, observations: Sequence[Observation]) -> np.ndarray:
    if not observations:
        return np.zeros(0, dtype=bool)
    boxes = np.array([o.xyxy for o in observations], dtype=float)
    return zone.trigger(sv.Detections(xyxy=boxes))


def runs(flags: np.ndarray) -> list[tuple[int, int]]:
    """Half-open index ranges [start, end) of consecutive True values."""
    padded = np.concatenate([[False], flags.astype(bool), [False]])
    edges = np.flatnonzero(np.diff(padded.astype(int)))
    return [(int(s), int(e)) for s, e in zip(edges[::2], edges[1::2], strict=True)]
