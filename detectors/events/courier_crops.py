"""A few crops of every two-wheeler while it is in a lane, kept during the clip's one decoding pass.

Courier attribution needs to see each rider a handful of times, not at every frame: the livery
does not change, and neighbouring frames show nearly the same pixels. So while the clip streams,
each two-wheeler whose wheels (box bottom-centre) are inside a lane keeps at most
``MAX_CROPS_PER_TRACK`` crops, spread over its time in lanes and each the best of its stretch of
time, and gives them up when its track ends. Memory is bounded by the road users in view, not by
the clip's length: a crop is at most ``MAX_CROP_HEIGHT_PX`` tall, and a track holds a fixed number.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import cv2
import numpy as np
import supervision as sv

from detectors.config.camera import Lane
from detectors.detections.detector import TWO_WHEELERS
from detectors.events.courier import courier_crop_box
from detectors.events.zones import zone_for

# Measured on the dev set's orange courier (a 2.5 s passage): 5 crops leave 3 for a passage that
# long and its confidence at 0.48, a hair over the 0.4 bar; 8 leave 6 and 0.62. Every crop of the
# event window, as read by a second decoding pass before, gave 0.74.
MAX_CROPS_PER_TRACK = 8
# Shortest stretch of time one kept crop stands for: at 10 fps, frames closer than this show the
# rider in nearly the same pose and light, so a second crop of them adds no independent vote.
MIN_SLOT_S = 0.25
# Taller crops are shrunk to this by area averaging, which keeps colours: a near rider's crop is
# ~300 px tall at 1080p. Measured on the dev set's 960x540 riders, shrinking changed no crop's
# vote and its colour strength by at most 0.02.
MAX_CROP_HEIGHT_PX = 128


@dataclass(frozen=True)
class KeptCrop:
    t_s: float
    score: float  # box area x detector confidence: bigger and surer boxes show the livery best
    image: np.ndarray  # BGR, cut with courier_crop_box


class TrackCrops:
    """At most ``cap`` crops of one road user, spread over its time in lanes.

    Time since the road user was first seen in a lane is cut into slots of equal length, each
    keeping its best-scoring crop. When more than ``cap`` slots are filled, slots double in length
    and each merged pair keeps the better crop, so a long passage ends with ``cap`` / 2 to ``cap``
    crops from all along it without the track's end being known in advance.
    """

    def __init__(self, first_s: float, cap: int = MAX_CROPS_PER_TRACK, slot_s: float = MIN_SLOT_S):
        self.first_s = first_s
        self.cap = cap
        self.slot_s = slot_s
        self._slots: dict[int, KeptCrop] = {}

    def wants(self, t_s: float, score: float) -> bool:
        """Whether a crop at ``t_s`` with ``score`` would be kept (cut it only then)."""
        kept = self._slots.get(self._slot(t_s))
        return kept is None or score > kept.score

    def keep(self, crop: KeptCrop) -> None:
        self._slots = _best_per_slot([*self._slots.values(), crop], self._slot)
        while len(self._slots) > self.cap:
            self.slot_s *= 2
            self._slots = _best_per_slot(self._slots.values(), self._slot)

    def images(self) -> list[np.ndarray]:
        """The kept crops, oldest first."""
        return [self._slots[slot].image for slot in sorted(self._slots)]

    def _slot(self, t_s: float) -> int:
        return int((t_s - self.first_s) // self.slot_s)


def _best_per_slot(
    crops: Iterable[KeptCrop], slot_of: Callable[[float], int]
) -> dict[int, KeptCrop]:
    best: dict[int, KeptCrop] = {}
    for crop in crops:
        slot = slot_of(crop.t_s)
        if slot not in best or crop.score > best[slot].score:
            best[slot] = crop
    return best


def small_crop(image: np.ndarray, xyxy: Sequence[float]) -> np.ndarray:
    """The courier crop of a two-wheeler box: a copy, at most MAX_CROP_HEIGHT_PX tall."""
    x1, y1, x2, y2 = courier_crop_box(tuple(float(v) for v in xyxy), image.shape)
    crop = image[y1:y2, x1:x2]
    height, width = crop.shape[:2]
    if height <= MAX_CROP_HEIGHT_PX:
        return crop.copy()
    size = (max(1, round(width * MAX_CROP_HEIGHT_PX / height)), MAX_CROP_HEIGHT_PX)
    return cv2.resize(crop, size, interpolation=cv2.INTER_AREA)


class LaneCrops:
    """The kept crops of every two-wheeler track seen in a lane, until its track ends."""

    def __init__(self, lanes: Sequence[Lane], cap: int = MAX_CROPS_PER_TRACK):
        self.cap = cap
        self._zones = [zone_for(lane.polygon) for lane in lanes]
        self._tracks: dict[int, TrackCrops] = {}

    def __len__(self) -> int:
        return len(self._tracks)

    def add(self, t_s: float, image: np.ndarray, tracked: sv.Detections) -> None:
        """Offer one analysed frame's tracked detections (``tracker_id`` set)."""
        if not self._zones or len(tracked) == 0:
            return
        in_lane = np.logical_or.reduce([zone.trigger(tracked) for zone in self._zones])
        scores = tracked.box_area * tracked.confidence
        for i in np.flatnonzero(in_lane & np.isin(tracked.class_id, TWO_WHEELERS)):
            track_id = int(tracked.tracker_id[i])
            crops = self._tracks.setdefault(track_id, TrackCrops(t_s, self.cap))
            if crops.wants(t_s, float(scores[i])):
                crops.keep(KeptCrop(t_s, float(scores[i]), small_crop(image, tracked.xyxy[i])))

    def pop(self, track_id: int) -> list[np.ndarray]:
        """The track's crops, oldest first, forgotten here (none if it was never in a lane)."""
        crops = self._tracks.pop(track_id, None)
        return crops.images() if crops else []
