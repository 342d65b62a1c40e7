"""Per-track histories: what each road user did, observation by observation.

A track is handed to the rules once it has been unseen for longer than the tracker remembers it,
so the rules judge whole tracks and memory holds only the road users still in view.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import supervision as sv

from detectors.detections.detector import BICYCLE, CLASS_NAMES, MOTORCYCLE, PERSON
from detectors.frames.view import IDENTITY, ViewTransform
from detectors.signals.states import SignalState

# Walking is below ~1 body height per second and running below ~2.5; a "pedestrian" whose feet move
# faster than this over a second or more is on wheels even where its vehicle went undetected.
MAX_ON_FOOT_HEIGHTS_PER_S = 2.5
# A person seen on a two-wheeler this often is its rider: detectors miss the vehicle under a rider
# in dense traffic far more often than they see a walker overlapping a parked bike.
RIDER_FRACTION = 0.3
# ...and so is one seen on it in most frames of any such stretch: nobody gets off in the middle
# of a junction, while a rider queueing behind others can stand for a minute with the vehicle
# under him hidden (a short stretch: a walker passing behind a parked bike is on it for a moment).
RIDING_STRETCH_S = 2.0
RIDING_STRETCH_FRACTION = 0.5
# Walking is ~0.8 body heights per second, brisk walking ~1.1; the slowest cycling (~2.5 m/s)
# is ~1.5. A two-wheeler with a person walking beside it, no faster than this, is being pushed.
MAX_PUSHED_HEIGHTS_PER_S = 1.3
# ...beside it in at least this share of its frames (a pusher is hidden behind it at times).
PUSHED_FRACTION = 0.5


@dataclass(frozen=True)
class Observation:
    """One sighting of a road user. ``xyxy`` is in the camera's reference view, where its zones
    are drawn (frames/view.py); ``frame_xyxy`` is where the box was on the frame itself."""

    t_s: float
    frame_index: int
    xyxy: tuple[float, float, float, float]
    confidence: float
    class_id: int
    on_two_wheeler: bool  # a person box riding on a two-wheeler box in this frame
    signals: Mapping[str, SignalState]  # every signal's state at t_s
    view: ViewTransform = IDENTITY  # reference view -> this frame
    frame_xyxy: tuple[float, float, float, float] | None = None  # None: the view is the reference
    # Two-wheelers: height of the box of a person walking beside it in this frame (0: nobody).
    walker_height: float = 0.0

    @property
    def foot(self) -> tuple[float, float]:
        x1, _, x2, y2 = self.xyxy
        return (x1 + x2) / 2, y2

    @property
    def frame_box(self) -> tuple[float, float, float, float]:
        return self.xyxy if self.frame_xyxy is None else self.frame_xyxy

    @property
    def frame_foot(self) -> tuple[float, float]:
        x1, _, x2, y2 = self.frame_box
        return (x1 + x2) / 2, y2

    @property
    def height(self) -> float:
        return self.xyxy[3] - self.xyxy[1]


@dataclass
class Track:
    track_id: int
    observations: list[Observation] = field(default_factory=list)
    # In view from the first frame of a clip analysed alone: there the clip, not the road user,
    # bounds what was seen of it (the rules allow for it).
    cut_at_start: bool = False

    @property
    def class_id(self) -> int:
        return Counter(o.class_id for o in self.observations).most_common(1)[0][0]

    @property
    def class_name(self) -> str:
        return CLASS_NAMES[self.class_id]

    @property
    def is_two_wheeler(self) -> bool:
        return self.class_id in (BICYCLE, MOTORCYCLE)

    @property
    def is_rider(self) -> bool:
        if self.class_id != PERSON:
            return False
        on_wheels = sum(o.on_two_wheeler for o in self.observations) / len(self.observations)
        return (
            on_wheels >= RIDER_FRACTION
            or self._rode_a_stretch()
            or self.speed_heights_per_s() > MAX_ON_FOOT_HEIGHTS_PER_S
        )

    def _rode_a_stretch(self) -> bool:
        """On a two-wheeler in most frames of some ``RIDING_STRETCH_S`` stretch (fully seen)."""
        times = np.array([o.t_s for o in self.observations])
        riding = np.cumsum([0, *(o.on_two_wheeler for o in self.observations)])
        ends = np.searchsorted(times, times + RIDING_STRETCH_S, side="right")
        whole = times[ends - 1] - times >= 0.9 * RIDING_STRETCH_S
        share = (riding[ends] - riding[:-1]) / np.maximum(ends - np.arange(len(times)), 1)
        return bool(np.any(whole & (share > RIDING_STRETCH_FRACTION)))

    @property
    def is_pushed(self) -> bool:
        """A two-wheeler pushed by a person walking beside it: not ridden, so never riding the
        wrong way. Its speed is measured in the walker's body heights."""
        if not self.is_two_wheeler:
            return False
        beside = [o.walker_height for o in self.observations if o.walker_height > 0]
        if len(beside) < PUSHED_FRACTION * len(self.observations):
            return False
        vehicle = float(np.median([o.height for o in self.observations]))
        body = float(np.median(beside))
        return self.speed_heights_per_s() * vehicle / body <= MAX_PUSHED_HEIGHTS_PER_S

    @property
    def is_pedestrian(self) -> bool:
        return self.class_id == PERSON and not self.is_rider

    def speed_heights_per_s(self, window_s: float = 1.0) -> float:
        """Median foot speed in body heights per second, over windows of about ``window_s``."""
        obs = self.observations
        speeds = []
        start = 0
        for end in range(len(obs)):
            while obs[end].t_s - obs[start].t_s > window_s:
                start += 1
            if end > start and obs[end].t_s - obs[start].t_s >= 0.6 * window_s:
                (x0, y0), (x1, y1) = obs[start].foot, obs[end].foot
                height = float(np.median([o.height for o in obs[start : end + 1]]))
                speeds.append(
                    np.hypot(x1 - x0, y1 - y0) / (obs[end].t_s - obs[start].t_s) / max(height, 1.0)
                )
        return float(np.median(speeds)) if speeds else 0.0

    def mean_confidence(self) -> float:
        return float(np.mean([o.confidence for o in self.observations]))


ON_TWO_WHEELER = "on_two_wheeler"
WALKER_HEIGHT = "walker_height"


def mark_riders(detections: sv.Detections) -> sv.Detections:
    """Record in ``data`` which detections are riders, and which two-wheelers have a person
    walking beside them. Done on all detections of a frame, before tracking, so that a weak box
    of a half-hidden vehicle still makes its rider a rider."""
    detections.data[ON_TWO_WHEELER] = riding_mask(detections)
    detections.data[WALKER_HEIGHT] = walker_heights(detections, detections.data[ON_TWO_WHEELER])
    return detections


def walker_heights(detections: sv.Detections, riding: np.ndarray) -> np.ndarray:
    """For each two-wheeler, the box height of a person walking beside it (0 where nobody is).

    Beside, not above: the person's feet stand on the vehicle's ground line (bottoms within a
    quarter of the person's height), its centre is outside the vehicle's width (a rider's is over
    it) and the two boxes touch or nearly (gap under half the person's width). Riders of another
    vehicle do not count.
    """
    heights = np.zeros(len(detections), dtype=float)
    walkers = np.flatnonzero((detections.class_id == PERSON) & ~riding)
    vehicles = np.flatnonzero(np.isin(detections.class_id, (BICYCLE, MOTORCYCLE)))
    if len(walkers) == 0 or len(vehicles) == 0:
        return heights
    people = detections.xyxy[walkers]
    person_h = people[:, 3] - people[:, 1]
    person_w = people[:, 2] - people[:, 0]
    centre = (people[:, 0] + people[:, 2]) / 2
    for index in vehicles:
        x1, _, x2, y2 = detections.xyxy[index]
        margin = 0.1 * (x2 - x1)
        gap = np.maximum(people[:, 0] - x2, x1 - people[:, 2])
        beside = (
            (np.abs(people[:, 3] - y2) <= 0.25 * person_h)
            & ((centre < x1 - margin) | (centre > x2 + margin))
            & (gap <= 0.5 * person_w)
        )
        if beside.any():
            heights[index] = float(person_h[beside].max())
    return heights


def riding_mask(detections: sv.Detections) -> np.ndarray:
    """For each detection, whether it is a person carried by a bicycle or motorcycle in this frame.

    A rider's box stands on its vehicle: the person's bottom half overlaps the vehicle box and the
    person's feet do not reach far below the vehicle's wheels.
    """
    mask = np.zeros(len(detections), dtype=bool)
    people = np.flatnonzero(detections.class_id == PERSON)
    vehicles = detections.xyxy[np.isin(detections.class_id, (BICYCLE, MOTORCYCLE))]
    if len(people) == 0 or len(vehicles) == 0:
        return mask
    for index in people:
        x1, y1, x2, y2 = detections.xyxy[index]
        lower = np.array([x1, (y1 + y2) / 2, x2, y2])
        overlap_w = np.clip(
            np.minimum(lower[2], vehicles[:, 2]) - np.maximum(lower[0], vehicles[:, 0]), 0, None
        )
        overlap_h = np.clip(
            np.minimum(lower[3], vehicles[:, 3]) - np.maximum(lower[1], vehicles[:, 1]), 0, None
        )
        lower_area = max((lower[2] - lower[0]) * (lower[3] - lower[1]), 1.0)
        covers = overlap_w * overlap_h / lower_area >= 0.3
        vehicle_h = vehicles[:, 3] - vehicles[:, 1]
        feet_on_vehicle = y2 <= vehicles[:, 3] + 0.25 * vehicle_h
        centre_x = (x1 + x2) / 2
        above_vehicle = (vehicles[:, 0] - 0.1 * (vehicles[:, 2] - vehicles[:, 0]) <= centre_x) & (
            centre_x <= vehicles[:, 2] + 0.1 * (vehicles[:, 2] - vehicles[:, 0])
        )
        mask[index] = bool(np.any(covers & feet_on_vehicle & above_vehicle))
    return mask


class TrackBook:
    """Collects observations per track and hands over the tracks that have left the scene."""

    def __init__(self, forget_after_s: float):
        self.forget_after_s = forget_after_s
        self._tracks: dict[int, Track] = {}
        self._first_t: float | None = None  # the clip's first frame, unless it continues another
        self._continued = False

    def __len__(self) -> int:
        return len(self._tracks)

    def add(
        self,
        frame_index: int,
        t_s: float,
        detections: sv.Detections,
        signals: Mapping[str, SignalState],
        view: ViewTransform = IDENTITY,
    ) -> None:
        """``detections`` are tracked ones carrying ``data["on_two_wheeler"]`` (see riding_mask),
        on a frame whose view of the scene is ``view``."""
        riding = detections.data.get(ON_TWO_WHEELER, np.zeros(len(detections), dtype=bool))
        walkers = detections.data.get(WALKER_HEIGHT, np.zeros(len(detections)))
        if self._first_t is None:
            self._first_t = t_s
        at_start = t_s == self._first_t and not self._continued
        if detections.tracker_id is None:  # supervision's empty detections: nothing tracked
            return
        for i, track_id in enumerate(detections.tracker_id):
            track = self._tracks.setdefault(
                int(track_id), Track(int(track_id), cut_at_start=at_start)
            )
            box = tuple(float(v) for v in detections.xyxy[i])
            track.observations.append(
                Observation(
                    t_s=t_s,
                    frame_index=frame_index,
                    xyxy=view.box_to_reference(box),  # type: ignore[arg-type]
                    confidence=float(detections.confidence[i]),
                    class_id=int(detections.class_id[i]),
                    on_two_wheeler=bool(riding[i]),
                    signals=signals,
                    view=view,
                    frame_xyxy=None if view.is_identity else box,  # type: ignore[arg-type]
                    walker_height=float(walkers[i]),
                )
            )

    def resume(self, tracks: list[Track]) -> None:
        """Carry on the histories of road users seen in the previous clip (``continuity``): the
        clip continues that one, so nobody in view at its first frame is cut by it."""
        self._continued = True
        for track in tracks:
            self._tracks[track.track_id] = track

    def pop_finished(self, now_s: float) -> list[Track]:
        finished = [
            t for t in self._tracks.values() if now_s - t.observations[-1].t_s > self.forget_after_s
        ]
        for track in finished:
            del self._tracks[track.track_id]
        return finished

    def pop_all(self) -> list[Track]:
        tracks = list(self._tracks.values())
        self._tracks.clear()
        return tracks
