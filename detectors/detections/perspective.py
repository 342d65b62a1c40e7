"""How tall a road user looks at each row of the frame: the camera's perspective, learnt from its
own detections.

On a flat road seen by a fixed camera, an object of a given height standing with its feet at row
``y`` looks ``k * (y - y_horizon)`` pixels tall: box height is a straight line in the foot row.
The line is fitted through the *small* road users of each row (the lower quartile of box heights,
persons and two-wheelers alike), since those are the ones a detection plan must still find. A line
fitted on the near and middle rows extrapolates to the far rows, where few road users are found
before the plan looks there closely.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import supervision as sv

# Only sure boxes teach the perspective: weak ones are often a half-seen or doubled road user.
SAMPLE_MIN_CONFIDENCE = 0.5
# The fit needs road users in at least this many of the frame's row bins (of ROW_BINS)...
ROW_BINS = 12
MIN_FILLED_BINS = 3
MIN_SAMPLES_PER_BIN = 3
# ...and this many samples in all.
MIN_SAMPLES = 30
SMALL_QUANTILE = 25  # percent: "small" road users of a row
# No road user is expected smaller than this, however far (the line may reach zero at the horizon).
MIN_HEIGHT_PX = 8.0


@dataclass(frozen=True)
class HeightModel:
    """Expected box height of a small road user whose feet are at row ``y``: ``a + b * y``."""

    intercept: float
    slope: float

    def height_at(self, y: float) -> float:
        return max(self.intercept + self.slope * y, MIN_HEIGHT_PX)


def _row_bins(foot_y: np.ndarray, frame_height: int) -> tuple[np.ndarray, np.ndarray]:
    """Each foot row's bin of the frame's ``ROW_BINS`` (-1: outside the frame), and the bins'
    edges."""
    edges = np.linspace(0, frame_height, ROW_BINS + 1)
    bins = np.digitize(foot_y, edges) - 1
    return np.where(bins < ROW_BINS, bins, -1), edges


def _bin_counts(bins: np.ndarray) -> np.ndarray:
    """How many samples each row bin holds (``_row_bins``' bins)."""
    return np.bincount(bins[bins >= 0], minlength=ROW_BINS)


def _enough_rows(counts: np.ndarray) -> bool:
    """Whether the samples cover enough rows to say how size changes with distance."""
    return int((counts >= MIN_SAMPLES_PER_BIN).sum()) >= MIN_FILLED_BINS


def fit_heights(foot_y: np.ndarray, heights: np.ndarray, frame_height: int) -> HeightModel | None:
    """The line through the lower quartile of box heights per row bin; None until there are
    ``MIN_SAMPLES`` and they cover ``_enough_rows``."""
    bins, edges = _row_bins(foot_y, frame_height)
    counts = _bin_counts(bins)
    if len(foot_y) < MIN_SAMPLES or not _enough_rows(counts):
        return None
    filled = np.flatnonzero(counts >= MIN_SAMPLES_PER_BIN)
    rows = (edges[filled] + edges[filled + 1]) / 2
    small = [np.percentile(heights[bins == b], SMALL_QUANTILE) for b in filled]
    weights = np.sqrt(counts[filled])
    slope, intercept = np.polyfit(rows, small, 1, w=weights)
    if slope < 0:  # nearer must not look smaller: a camera looking straight down has no slope
        return HeightModel(float(np.average(small, weights=weights)), 0.0)
    return HeightModel(float(intercept), float(slope))


class HeightSampler:
    """Collects (foot row, box height) of sure detections until a perspective can be fitted."""

    def __init__(self, frame_height: int):
        self.frame_height = frame_height
        self._foot_y: list[np.ndarray] = []
        self._heights: list[np.ndarray] = []
        self._per_bin = np.zeros(ROW_BINS, dtype=int)  # samples so far, in fit_heights' bins

    def add(self, detections: sv.Detections) -> HeightModel | None:
        """Adds a frame's detections; the fitted model once there is enough to fit one."""
        if detections.confidence is None or len(detections) == 0:
            return None
        sure = detections.xyxy[detections.confidence >= SAMPLE_MIN_CONFIDENCE]
        self._foot_y.append(sure[:, 3])
        self._heights.append(sure[:, 3] - sure[:, 1])
        self._per_bin += _bin_counts(_row_bins(sure[:, 3], self.frame_height)[0])
        # Fitted only once enough row bins are filled for fit_heights to return a model:
        # refitting every sample so far on every frame, on the per-frame path, grew slower
        # frame after frame.
        if not _enough_rows(self._per_bin):
            return None
        return fit_heights(
            np.concatenate(self._foot_y), np.concatenate(self._heights), self.frame_height
        )
