"""Pairing detected violations with true events (ground-truth.md, "Matching and scores").

A detection and a true event agree when the rule is the same, the detected time lies within
2.0 s of ``t`` (or inside ``[t - 2.0, t_end + 2.0]`` when ``t_end`` is labelled) and, for events
without ``t_end``, the positions lie within 12% of the frame width of each other (straight-line
distance). Pairs are then taken one-to-one, greedily by |detected time - t|.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from detectors.evaluation.eval_set import TruthEvent
from detectors.events.violation import Rule, Violation

TIME_TOLERANCE_S = 2.0
POSITION_TOLERANCE = 0.12  # fraction of the frame width
# Labels are decimal seconds, and 0.47 + 2.0 falls just short of 2.47 in binary floating point:
# a detection exactly on the edge of a window must still count as inside it.
_FLOAT_SLACK = 1e-9

MissReason = Literal["time", "position", "taken"]


@dataclass(frozen=True)
class Pair:
    event: TruthEvent
    violation: Violation

    @property
    def dt_s(self) -> float:
        return self.violation.t_s - self.event.t

    @property
    def distance_px(self) -> float:
        return math.hypot(self.violation.x - self.event.x, self.violation.y - self.event.y)


@dataclass(frozen=True)
class Matching:
    matches: tuple[Pair, ...]
    unmatched_detections: tuple[Violation, ...]
    unmatched_events: tuple[TruthEvent, ...]

    def of_rule(self, rule: Rule) -> Matching:
        return Matching(
            tuple(pair for pair in self.matches if pair.event.rule == rule),
            tuple(violation for violation in self.unmatched_detections if violation.rule == rule),
            tuple(event for event in self.unmatched_events if event.rule == rule),
        )


@dataclass(frozen=True)
class NearMiss:
    """The closest counterpart of an unmatched item and why the two were not paired."""

    pair: Pair
    why: MissReason  # outside the time window, too far apart, or its counterpart took a closer one


def times_agree(event: TruthEvent, t_s: float) -> bool:
    end = event.t if event.t_end is None else event.t_end
    return event.t - TIME_TOLERANCE_S - _FLOAT_SLACK <= t_s <= end + TIME_TOLERANCE_S + _FLOAT_SLACK


def positions_agree(pair: Pair, frame_width: int) -> bool:
    # With t_end the road user moves through the window, so its position at t says nothing.
    if pair.event.t_end is not None:
        return True
    return pair.distance_px <= POSITION_TOLERANCE * frame_width + _FLOAT_SLACK


def agree(pair: Pair, frame_width: int) -> bool:
    return (
        pair.event.rule == pair.violation.rule
        and times_agree(pair.event, pair.violation.t_s)
        and positions_agree(pair, frame_width)
    )


def match_events(
    events: Sequence[TruthEvent], violations: Sequence[Violation], frame_width: int
) -> Matching:
    """Pair one clip's detections with its true events, one-to-one, greedily by time difference."""
    if frame_width <= 0:
        raise ValueError(f"frame_width must be the decoded clip width in pixels, got {frame_width}")
    # Ties in time go to the nearer position, then to label and detection order: stable results.
    candidates = sorted(
        (abs(pair.dt_s), pair.distance_px, event_index, violation_index)
        for event_index, event in enumerate(events)
        for violation_index, violation in enumerate(violations)
        if agree(pair := Pair(event, violation), frame_width)
    )
    pairs = sorted(_greedy_pairs((event, violation) for _, _, event, violation in candidates))
    paired_events = {event_index for event_index, _ in pairs}
    paired_violations = {violation_index for _, violation_index in pairs}
    return Matching(
        tuple(Pair(events[e], violations[v]) for e, v in pairs),
        tuple(v for i, v in enumerate(violations) if i not in paired_violations),
        tuple(e for i, e in enumerate(events) if i not in paired_events),
    )


def _greedy_pairs(candidates: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Take (event, detection) index pairs in the given order, skipping any whose side is taken."""
    pairs: list[tuple[int, int]] = []
    taken_events: set[int] = set()
    taken_violations: set[int] = set()
    for event_index, violation_index in candidates:
        if event_index not in taken_events and violation_index not in taken_violations:
            taken_events.add(event_index)
            taken_violations.add(violation_index)
            pairs.append((event_index, violation_index))
    return pairs


def why_unmatched_detection(
    violation: Violation, events: Sequence[TruthEvent], frame_width: int
) -> NearMiss | None:
    """The true event of the same rule this detection came closest to matching, if any."""
    pairs = [Pair(event, violation) for event in events if event.rule == violation.rule]
    return _nearest(pairs, frame_width)


def why_unmatched_event(
    event: TruthEvent, violations: Sequence[Violation], frame_width: int
) -> NearMiss | None:
    """The detection of the same rule that came closest to matching this true event, if any."""
    pairs = [Pair(event, violation) for violation in violations if violation.rule == event.rule]
    return _nearest(pairs, frame_width)


def _nearest(pairs: list[Pair], frame_width: int) -> NearMiss | None:
    if not pairs:
        return None
    # An agreeing counterpart explains the miss best (another took it); else the nearest in time.
    pair = min(pairs, key=lambda p: (not agree(p, frame_width), abs(p.dt_s)))
    if agree(pair, frame_width):
        return NearMiss(pair, "taken")
    return NearMiss(pair, "time" if not times_agree(pair.event, pair.violation.t_s) else "position")
