"""pedestrian_red_light: a pedestrian's feet enter a crosswalk from outside while its signal is red.

Definitions (shared/spec/ground-truth.md): feet are the box bottom-centre; people already on the
crossing when the signal turned red are not events (their entry was not on red); riders are not
pedestrians; one event per person per crossing. Debounced: the person must have been seen
outside for a while and then step in, so feet flickering on the kerb line or a track that is
born on the crossing (an id switch) do not count. A step in is a stay of 0.4 s, or a shorter one
(a track lost soon after) that goes a step deep: feet on the kerb line jitter by a few
hundredths of a body height, a step takes them a sixth of one past it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

from detectors.config.camera import CameraConfig, Crosswalk
from detectors.events.violation import TrackPoint, Violation
from detectors.events.zones import inside_flags, runs, zone_for
from detectors.signals.states import SignalState
from detectors.tracks.history import Observation, Track

# How much of the track around an event travels with it as evidence.
EVIDENCE_WINDOW_S = 4.0


@dataclass(frozen=True)
class PedestrianRedLightSettings:
    min_outside_s: float = 0.4  # seen outside at least this long just before entering
    min_inside_s: float = 0.4  # and inside at least this long after
    # The boxes that show an entry (within ``entry_window_s`` of it) must have this mean
    # confidence: below it a "person" is too often a ghost. Judged around the entry, not over the
    # whole track: a far walker's boxes fade as he walks on, which says nothing of his entry.
    min_mean_confidence: float = 0.3
    entry_window_s: float = 1.0
    # Within that window the head must move this many body heights: feet that "enter" while the
    # head stays put are a box cut short by an occluding vehicle. The slowest walkers (~0.5 m/s,
    # a third of a body height per second) move twice that in a second either side.
    min_entry_motion_heights: float = 0.15
    # How deep past the kerb line the feet must go, in body heights (a step: ~25 cm of 1.7 m;
    # box bottoms on the line jitter by <= 0.05, measured on the shopping-street clip), or half
    # way to the crossing's middle where it is thinner than that in the picture.
    min_step_heights: float = 0.15
    # A stay shorter than min_inside_s counts if it is that deep over this many frames.
    min_step_frames: int = 2


@dataclass(frozen=True)
class Entry:
    """A debounced entry of a track into a crosswalk."""

    crosswalk: Crosswalk
    index: int  # first observation inside
    outside_s: float
    inside_s: float
    signal_state: SignalState


class PedestrianRedLight:
    rule = "pedestrian_red_light"

    def __init__(self, camera: CameraConfig, settings: PedestrianRedLightSettings | None = None):
        self.camera = camera
        self.settings = settings or PedestrianRedLightSettings()
        self._zones = [(crosswalk, zone_for(crosswalk.polygon)) for crosswalk in camera.crosswalks]
        self._thin_limits = {c.id: _quarter_depth(c.polygon) for c in camera.crosswalks}

    def entries(self, track: Track) -> list[Entry]:
        """Every debounced entry of a pedestrian into each crosswalk (the exposure)."""
        if not track.is_pedestrian:
            return []
        found = []
        for crosswalk, zone in self._zones:
            found += self._entries_into(
                crosswalk,
                inside_flags(zone, track.observations),
                track.observations,
                outside_from_start=track.cut_at_start,
            )
        return found

    def violations(self, track: Track) -> list[Violation]:
        events = []
        for crosswalk in self.camera.crosswalks:
            on_red = [
                e
                for e in self.entries(track)
                if e.crosswalk.id == crosswalk.id and e.signal_state == SignalState.RED
            ]
            if on_red:  # one event per person per crossing: the first entry on red
                events.append(self._violation(track, on_red[0]))
        return events

    def _entries_into(
        self,
        crosswalk: Crosswalk,
        inside: np.ndarray,
        observations: list[Observation],
        outside_from_start: bool = False,
    ) -> list[Entry]:
        """``outside_from_start``: the road user was in view from the clip's first frame, so the
        time it was seen outside before a first entry is bounded by the clip, not by its walk."""
        entries = []
        outside_since = 0  # first observation after the last real stay inside
        for start, end in runs(_fill_single_gaps(inside)):
            inside_s = observations[end - 1].t_s - observations[start].t_s
            stepped_in = self._stepped_in(crosswalk, observations, start, end, inside_s)
            if not stepped_in and inside_s < self.settings.min_inside_s:
                continue  # feet flickering over the kerb line: still outside
            outside_s = observations[start].t_s - observations[outside_since].t_s
            outside_long_enough = outside_s >= self.settings.min_outside_s or (
                outside_from_start and outside_since == 0
            )
            born_inside = start == 0  # never seen entering: an id switch or a late first sighting
            outside_since = end  # a long stay on the kerb line is not outside either
            if not stepped_in or born_inside or not outside_long_enough:
                continue
            around = _around(observations, observations[start].t_s, self.settings.entry_window_s)
            if (
                _head_motion_heights(around) < self.settings.min_entry_motion_heights
                or np.mean([o.confidence for o in around]) < self.settings.min_mean_confidence
            ):
                continue
            entries.append(
                Entry(
                    crosswalk=crosswalk,
                    index=start,
                    outside_s=outside_s,
                    inside_s=inside_s,
                    signal_state=observations[start].signals.get(
                        crosswalk.signal, SignalState.UNKNOWN
                    ),
                )
            )
        return entries

    def _stepped_in(
        self,
        crosswalk: Crosswalk,
        observations: list[Observation],
        start: int,
        end: int,
        inside_s: float,
    ) -> bool:
        """Whether the stay ``observations[start:end]`` inside is a step in: deep enough past the
        kerb line, and long enough (or, short, deep over a few frames: a track lost soon after
        its entry); or the feet went through the crossing, seen outside on one side before the
        stay and outside on the other after it (a person unseen while crossing a thin band)."""
        stay = observations[start:end]
        height = float(np.median([o.height for o in stay]))
        needed = min(self.settings.min_step_heights * height, self._thin_limits[crosswalk.id])
        contour = np.asarray(crosswalk.polygon, dtype=np.float32)
        depths = [cv2.pointPolygonTest(contour, o.foot, True) for o in stay]
        deep = sum(depth >= needed for depth in depths)
        if inside_s >= self.settings.min_inside_s:
            return deep >= 1
        if deep >= self.settings.min_step_frames:
            return True
        if start == 0 or end == len(observations):
            return False
        before, after = observations[start - 1].foot, observations[end].foot
        return _deepest_on_segment(contour, before, after) >= needed

    def _violation(self, track: Track, entry: Entry) -> Violation:
        at = track.observations[entry.index]
        x, y = at.frame_foot
        window = [o for o in track.observations if abs(o.t_s - at.t_s) <= EVIDENCE_WINDOW_S]
        return Violation(
            rule=self.rule,
            camera_id=self.camera.camera_id,
            zone_id=entry.crosswalk.id,
            track_id=track.track_id,
            class_name="person",
            t_s=at.t_s,
            frame_index=at.frame_index,
            x=x,
            y=y,
            confidence=track.mean_confidence(),
            track=tuple(TrackPoint(o.t_s, o.frame_index, o.frame_box) for o in window),
            view=at.view,
            signal_id=entry.crosswalk.signal,
            signal_state=str(entry.signal_state),
            details={
                "why": (
                    f"feet entered crosswalk '{entry.crosswalk.id}' from outside at {at.t_s:.2f} s "
                    f"while signal '{entry.crosswalk.signal}' was red"
                ),
                "outside_before_s": round(entry.outside_s, 2),
                "inside_after_s": round(entry.inside_s, 2),
                "speed_heights_per_s": round(track.speed_heights_per_s(), 2),
            },
        )


def _around(observations: list[Observation], t_s: float, window_s: float) -> list[Observation]:
    return [o for o in observations if abs(o.t_s - t_s) <= window_s + 1e-9]


def _head_motion_heights(around: list[Observation]) -> float:
    """How far the top-centre of the box moved over ``around``, in median box heights."""
    first, last = around[0].xyxy, around[-1].xyxy
    moved = np.hypot((last[0] + last[2] - first[0] - first[2]) / 2, last[1] - first[1])
    return float(moved / max(np.median([o.height for o in around]), 1.0))


def _deepest_on_segment(
    contour: np.ndarray, start: tuple[float, float], end: tuple[float, float]
) -> float:
    """How deep inside the polygon the straight segment from ``start`` to ``end`` reaches
    (pixels; < 0: it stays outside), sampled every pixel: feet seen outside on both sides of a
    crossing went through it at least that deep."""
    (x0, y0), (x1, y1) = start, end
    steps = np.linspace(0.0, 1.0, max(2, math.ceil(math.hypot(x1 - x0, y1 - y0)) + 1))
    return max(
        cv2.pointPolygonTest(contour, (float(x0 + f * (x1 - x0)), float(y0 + f * (y1 - y0))), True)
        for f in steps
    )


def _quarter_depth(polygon: list[tuple[float, float]]) -> float:
    """A quarter of the depth of the polygon's thickest part (half its inradius): halfway from
    the kerb line to the middle, where the crossing is thinner in the picture than a step."""
    contour = np.asarray(polygon, dtype=np.float32)
    x, y, width, height = cv2.boundingRect(contour)
    mask = np.zeros((height + 2, width + 2), np.uint8)
    cv2.fillPoly(mask, [np.round(contour - [x - 1, y - 1]).astype(np.int32)], 1)
    return float(cv2.distanceTransform(mask, cv2.DIST_L2, 3).max()) / 2


def _fill_single_gaps(flags: np.ndarray) -> np.ndarray:
    """One missed 'inside' amid a steady stay (two 'inside' samples on each side) is box noise,
    not a step out; an alternation in, out, in, out is feet on the kerb line and stays as it is."""
    filled = flags.copy()
    if len(flags) >= 5:
        filled[2:-2] |= ~flags[2:-2] & flags[:-4] & flags[1:-3] & flags[3:-1] & flags[4:]
    return filled
