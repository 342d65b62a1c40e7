"""Follow road users from frame to frame with ultralytics' ByteTrack.

ByteTrack is used directly (not through ``model.track``) so that detection and tracking stay two
steps, and so that its memory is set in seconds: at a low analysis rate 30 frames is a long time.

ByteTrack matches a track to a detection by box overlap. At a low analysis rate (a 6 fps camera,
or ``--fps 5``) a fast road user moves so far between analysed frames that its two boxes barely
overlap, and its track never gets confirmed. Boxes are therefore enlarged for matching only
("buffered IoU", Yang et al., WACV 2023) by just enough that the fastest expected road user
still overlaps itself; from about 9.3 fps no enlargement is needed and none is made.

A two-wheeler box is taken as sure (matched first, and able to start a track) from a lower
detector confidence than ByteTrack's default: riders in a dense far group half hide one another,
and the detector scores each of them 0.15-0.25 for seconds on end, so at 0.25 they were never
tracked at all (docs/rules.md, "Tracking").
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import supervision as sv

from detectors.detections.detector import PERSON, import_ultralytics

# ByteTrack's defaults, except the lost-track memory, which is set from the analysis rate.
_BYTETRACK = {
    "tracker_type": "bytetrack",
    "track_high_thresh": 0.25,
    "track_low_thresh": 0.1,
    "new_track_thresh": 0.25,
    "match_thresh": 0.8,
    "fuse_score": False,
}
# Two-wheelers: sure, and able to start a track, from this confidence (ByteTrack's 0.25 otherwise).
# Measured on the dev set's tune part: 0.18-0.22 all keep every event found at 0.25 and add none
# false; 0.15 adds false ones (one rider split over two tracks).
TWO_WHEELER_SURE_CONFIDENCE = 0.2
# How long a lost track can still be resumed. A bus (12 m) passing in front of a road user at
# 15 km/h hides it for about 3 s, a rider moving off behind a car at a stop line as long (the vn
# junction: 3.2 s); at 2 s such a road user came back as a new track, born in the middle of its
# lane. Tried 2, 3 and 4 s on the dev set: no track of another road user was resumed at 4 s.
TRACK_MEMORY_S = 4.0
# A track unseen for longer cannot be resumed any more (the memory, and half a second of slack for
# frames still queued): its history is complete.
TRACK_CLOSED_AFTER_S = TRACK_MEMORY_S + 0.5
# ByteTrack confirms a new track on a second detection overlapping it by at least this IoU.
CONFIRM_IOU = 0.3
# The fastest road user to follow, in its own box lengths per second: a motorcycle coming towards
# a steeply looking camera (docs/accuracy-vs-speed.md).
FASTEST_BOX_LENGTHS_PER_S = 5.0


def match_buffer(analysis_fps: float) -> float:
    """How much each side of a box grows for matching, as a fraction of the box's size.

    Along the motion, boxes of length L moved by d between frames overlap by (L - d) / (L + d);
    grown by ``b * L`` on each side, by (L(1 + 2b) - d) / (L(1 + 2b) + d). ``b`` is the smallest
    that keeps this at ``CONFIRM_IOU`` for the fastest road user.
    """
    step = FASTEST_BOX_LENGTHS_PER_S / analysis_fps  # d / L
    needed_length = step * (1 + CONFIRM_IOU) / (1 - CONFIRM_IOU)  # (1 + 2b) at the threshold
    return max(0.0, (needed_length - 1) / 2)


@dataclass
class _TrackerInput:
    """The slice of ultralytics' ``Boxes`` interface that BYTETracker reads."""

    xywh: np.ndarray
    conf: np.ndarray
    cls: np.ndarray

    def __len__(self) -> int:
        return len(self.conf)

    def __getitem__(self, mask: np.ndarray) -> _TrackerInput:
        return _TrackerInput(self.xywh[mask], self.conf[mask], self.cls[mask])


class Tracker:
    """Persons and two-wheelers are tracked apart: a rider's box sits on its vehicle's box, and one
    class-blind tracker would swap their ids. Ids are unique across both groups, counted from
    ``first_id`` (a clip continuing another goes on from the ids the other used)."""

    def __init__(self, analysis_fps: float, memory_s: float = TRACK_MEMORY_S, first_id: int = 1):
        import_ultralytics()
        from ultralytics.trackers.byte_tracker import BYTETracker
        from ultralytics.utils import IterableSimpleNamespace

        sure_from = {
            "person": _BYTETRACK["track_high_thresh"],
            "two_wheeler": TWO_WHEELER_SURE_CONFIDENCE,
        }
        self._groups = {
            group: BYTETracker(
                IterableSimpleNamespace(
                    **{**_BYTETRACK, "track_high_thresh": sure, "new_track_thresh": sure},
                    track_buffer=max(1, round(memory_s * analysis_fps)),
                )
            )
            for group, sure in sure_from.items()
        }
        self._grow = 1 + 2 * match_buffer(analysis_fps)
        self._ids: dict[tuple[str, int], int] = {}
        self._next_id = first_id

    def warm_up(self, frames: list[sv.Detections]) -> None:
        """Replays boxes carried over from the previous clip (``continuity``), each with its
        track id in ``data["carried_id"]``: the tracks they rebuild keep those ids."""
        for frame in frames:
            self.update(frame)

    def update(self, detections: sv.Detections) -> sv.Detections:
        """The detections that belong to a confirmed track, with ``tracker_id`` set.

        Boxes are the detector's own, not the Kalman prediction: feet positions must be observed.
        """
        is_person = detections.class_id == PERSON
        tracked = [
            self._update_group("person", detections[is_person]),
            self._update_group("two_wheeler", detections[~is_person]),
        ]
        merged = sv.Detections.merge(tracked)
        if merged.tracker_id is None:  # merge() of nothing drops the (empty) id column
            merged.tracker_id = np.zeros(0, dtype=int)
        return merged

    def _update_group(self, group: str, detections: sv.Detections) -> sv.Detections:
        xyxy = detections.xyxy.reshape(-1, 4)
        xywh = np.column_stack(
            [
                (xyxy[:, 0] + xyxy[:, 2]) / 2,
                (xyxy[:, 1] + xyxy[:, 3]) / 2,
                (xyxy[:, 2] - xyxy[:, 0]) * self._grow,
                (xyxy[:, 3] - xyxy[:, 1]) * self._grow,
            ]
        )
        confidence = (
            detections.confidence if detections.confidence is not None else np.ones(len(xyxy))
        )
        rows = self._groups[group].update(_TrackerInput(xywh, confidence, detections.class_id))
        rows = rows.reshape(-1, 8)
        kept = detections[rows[:, -1].astype(int)]
        raw_ids = rows[:, 4].astype(int)
        for raw_id, carried_id in zip(raw_ids, kept.data.get("carried_id", ()), strict=False):
            self._ids.setdefault((group, int(raw_id)), int(carried_id))
        kept.tracker_id = np.array([self._global_id(group, int(i)) for i in raw_ids], dtype=int)
        return kept

    @property
    def next_id(self) -> int:
        return self._next_id

    def _global_id(self, group: str, raw_id: int) -> int:
        if (group, raw_id) not in self._ids:
            self._ids[(group, raw_id)] = self._next_id
            self._next_id += 1
        return self._ids[(group, raw_id)]
