"""Track fragments: a road user lost behind another and found again is one road user.

ByteTrack keeps a lost track for 2 s and takes it up again only where a new box overlaps its
predicted box. A person walking shoulder to shoulder in a group, or a rider waiting behind a car,
is often found again a little off that prediction, and then starts a new track: the first
fragment ends before the crossing, the second is born on it (no entry seen), or a rider's motion
is split into two stretches too short to judge. Before the rules judge a track, a fragment that
ended is joined to a track born shortly after where the fragment was heading, when the two agree
in time, place, size and motion, all measured in the road user's own body heights.

A wrong join (two road users taken for one) could invent an entry or a wrong-way stretch, so the
tolerances are those of a road user that keeps its way: within half a body height (plus half a
body height per second unseen) of where its last velocity was taking it, about the same size,
moving alike. ``benchmarks/stitching.py`` measures how often real fragments are joined right and
wrong by cutting the dev set's own long tracks.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # history's TrackBook stitches with this module
    from detectors.tracks.history import Observation, Track


@dataclass(frozen=True)
class StitchSettings:
    # A road user unseen longer than this may have turned, stopped or left: not guessed.
    max_gap_s: float = 1.5
    # Where its last velocity was taking it, within this many body heights...
    place_heights: float = 0.5
    # ...plus this many per second unseen (a walker changes pace or step).
    place_heights_per_s: float = 0.5
    # Box heights of the two ends within this factor (a half-hidden box is shorter).
    size_ratio: float = 1.5
    # Velocities at the two ends differ by at most this share of the faster one's speed, or by a
    # walking pace (body heights per second), whichever is more: it kept its way.
    speed_share: float = 0.5
    walking_heights_per_s: float = 0.5
    # The velocity and size at an end are measured over this much of the fragment.
    end_s: float = 0.5


def stitch_cost(lost: Track, new: Track, settings: StitchSettings | None = None) -> float | None:
    """How far (in tolerances) ``new`` starts from where ``lost`` was heading; None when the two
    cannot be one road user. ``new``'s own observations must all come after ``lost``'s."""
    settings = settings or StitchSettings()
    if lost.is_two_wheeler != new.is_two_wheeler or not lost.observations or not new.observations:
        return None
    last, first = lost.observations[-1], new.observations[0]
    gap_s = first.t_s - last.t_s
    if not 0 < gap_s <= settings.max_gap_s:
        return None
    tail = _end(lost.observations[::-1], settings.end_s)[::-1]
    head = _end(new.observations, settings.end_s)
    lost_height, new_height = _median_height(tail), _median_height(head)
    if max(lost_height, new_height) > settings.size_ratio * min(lost_height, new_height):
        return None
    height = (lost_height + new_height) / 2
    heading = _velocity(tail)
    predicted = np.asarray(last.foot) + heading * gap_s
    tolerance = height * (settings.place_heights + settings.place_heights_per_s * gap_s)
    miss = float(np.hypot(*(np.asarray(first.foot) - predicted)))
    if miss > tolerance:
        return None
    if len(head) >= 2:
        going = _velocity(head)
        faster = max(float(np.hypot(*heading)), float(np.hypot(*going)))
        allowed = max(settings.speed_share * faster, settings.walking_heights_per_s * height)
        if float(np.hypot(*(going - heading))) > allowed:
            return None
    return miss / tolerance


def best_successor(
    lost: Track, candidates: Iterable[Track], settings: StitchSettings | None = None
) -> Track | None:
    """The one candidate that carries ``lost`` on, if exactly one does: where two could, in a
    crowd or a queue, neither is taken."""
    fitting = [track for track in candidates if stitch_cost(lost, track, settings) is not None]
    return fitting[0] if len(fitting) == 1 else None


def joined(lost: Track, new: Track) -> Track:
    """``new`` with ``lost``'s history before its own (``new`` keeps its id: the tracker goes on
    feeding it)."""
    return replace(
        new,
        observations=lost.observations + new.observations,
        cut_at_start=lost.cut_at_start,
        stitched_ids=(*lost.stitched_ids, lost.track_id, *new.stitched_ids),
    )


def _end(observations: list[Observation], span_s: float) -> list[Observation]:
    """The observations within ``span_s`` of the first one given."""
    start = observations[0].t_s
    return [o for o in observations if abs(o.t_s - start) <= span_s + 1e-9]


def _median_height(observations: list[Observation]) -> float:
    return max(float(np.median([o.height for o in observations])), 1.0)


def _velocity(observations: list[Observation]) -> np.ndarray:
    """Feet velocity (px per second) from the first to the last of ``observations``, in time
    order; zero for a single one."""
    if len(observations) < 2:
        return np.zeros(2)
    first, last = observations[0], observations[-1]
    duration = last.t_s - first.t_s
    if duration <= 0 or math.isclose(duration, 0.0):
        return np.zeros(2)
    return (np.asarray(last.foot) - np.asarray(first.foot)) / duration
