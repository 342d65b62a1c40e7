"""wrong_way: a bicycle or motorcycle travelling inside a lane against the lane's direction.

A road user counts once it has moved against the direction by a minimum distance, measured in its
own box heights so that near and far vehicles are judged alike, over a minimum time, along a
fairly straight path: a parked bike's jitter, a shaking camera or a swerve does not add up to
that. The event begins where the against-motion began (the lane entry, or the turning point of a
U-turn) and ends when the road user leaves the lane. One event per road user per lane: a track
that resumes where a wrong-way track was lost moments before is the same road user (an id switch).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np
import supervision as sv

from detectors.config.camera import CameraConfig, Lane
from detectors.events.violation import TrackPoint, Violation
from detectors.events.zones import inside_flags, runs, zone_for
from detectors.tracks.history import Observation, Track

EVIDENCE_PADDING_S = 4.0
# A rider who stays in the lane for minutes needs only the first seconds of it as evidence.
EVIDENCE_MAX_S = 15.0


@dataclass(frozen=True)
class WrongWaySettings:
    min_distance_heights: float = 1.5  # travel against the direction, in the vehicle's box heights
    min_duration_s: float = 0.6
    min_straightness: float = 0.6  # against-direction travel / path length
    merge_gap_s: float = 1.5  # a new track starting this soon where a wrong-way one was lost...
    merge_distance_heights: float = 2.0  # ...and this close to it, is the same road user
    # Two tracks alive at once, the smaller box lying this much inside the larger one and both
    # standing on the same wheels (bottom-centres this close, in smaller-box heights), frame after
    # frame, are one road user boxed twice (vehicle alone, vehicle with rider). Measured: such
    # pairs share >= 0.86 of the smaller box; riders queued one behind the other stand apart.
    nested_share: float = 0.8
    nested_foot_heights: float = 0.25
    nested_min_frames: int = 3


@dataclass(frozen=True)
class LanePass:
    """A two-wheeler's stay in a lane (the exposure): how far it went along the lane direction."""

    lane: Lane
    start: int
    end: int  # exclusive
    along_px: float  # + with the direction, - against


class WrongWay:
    rule = "wrong_way"

    def __init__(self, camera: CameraConfig, settings: WrongWaySettings | None = None):
        self.camera = camera
        self.settings = settings or WrongWaySettings()
        self._zones = [(lane, zone_for(lane.polygon)) for lane in camera.lanes]

    def passes(self, track: Track) -> list[LanePass]:
        if not track.is_two_wheeler or track.is_pushed:  # pushed by a walker: not ridden
            return []
        found = []
        for lane, zone in self._zones:
            if track.class_name not in lane.classes:
                continue
            for start, end in runs(inside_flags(zone, track.observations)):
                projection = _projection(track.observations[start:end], lane)
                found.append(LanePass(lane, start, end, float(projection[-1] - projection[0])))
        return found

    def violations(self, track: Track) -> list[Violation]:
        events = []
        seen_lanes = set()
        for lane_pass in self.passes(track):
            if lane_pass.lane.id in seen_lanes:
                continue
            violation = self._against_motion(track, lane_pass)
            if violation:
                seen_lanes.add(lane_pass.lane.id)
                events.append(violation)
        return events

    def _against_motion(self, track: Track, lane_pass: LanePass) -> Violation | None:
        observations = track.observations[lane_pass.start : lane_pass.end]
        projection = _projection(observations, lane_pass.lane)
        points = _smoothed_feet(observations)
        steps = np.r_[0.0, np.cumsum(np.hypot(*np.diff(points, axis=0).T))]
        heights = np.array([o.height for o in observations])
        peak = 0
        for i in range(1, len(observations)):
            if projection[i] > projection[peak]:
                peak = (
                    i  # still moving with the direction: the against-motion starts later, if at all
                )
                continue
            against = projection[peak] - projection[i]
            duration = observations[i].t_s - observations[peak].t_s
            path = steps[i] - steps[peak]
            height = float(np.median(heights[peak : i + 1]))
            if (
                against >= self.settings.min_distance_heights * height
                and duration >= self.settings.min_duration_s
                and against >= self.settings.min_straightness * path
            ):
                return self._violation(
                    track, lane_pass, observations, peak, against, duration, path
                )
        return None

    def _violation(
        self,
        track: Track,
        lane_pass: LanePass,
        observations: list[Observation],
        start: int,
        against: float,
        duration: float,
        path: float,
    ) -> Violation:
        at, last = observations[start], observations[-1]
        x, y = at.frame_foot
        window = [
            o
            for o in track.observations
            if at.t_s - EVIDENCE_PADDING_S
            <= o.t_s
            <= min(last.t_s, at.t_s + EVIDENCE_MAX_S) + EVIDENCE_PADDING_S
        ]
        return Violation(
            rule=self.rule,
            camera_id=self.camera.camera_id,
            zone_id=lane_pass.lane.id,
            track_id=track.track_id,
            class_name=track.class_name,
            t_s=at.t_s,
            frame_index=at.frame_index,
            x=x,
            y=y,
            confidence=track.mean_confidence(),
            track=tuple(TrackPoint(o.t_s, o.frame_index, o.frame_box) for o in window),
            view=at.view,
            t_end_s=last.t_s,
            details={
                "why": (
                    f"{track.class_name} moved {against:.0f} px against the direction of lane "
                    f"'{lane_pass.lane.id}' in {duration:.1f} s"
                ),
                "against_px": round(against, 1),
                "against_s": round(duration, 2),
                "straightness": round(against / path, 2) if path else 1.0,
                "lane_direction": list(lane_pass.lane.unit_direction()),
            },
        )


def merge_id_switches(
    violations: list[Violation], settings: WrongWaySettings | None = None
) -> list[Violation]:
    """Fold wrong-way events whose track resumes where an earlier one was lost into that one."""
    settings = settings or WrongWaySettings()
    kept: list[Violation] = []
    for violation in sorted(violations, key=lambda v: v.t_s):
        earlier = next((k for k in kept if _continues(k, violation, settings)), None)
        if earlier is None:
            kept.append(violation)
            continue
        merged = replace(
            earlier,
            t_end_s=max(earlier.t_end_s or earlier.t_s, violation.t_end_s or violation.t_s),
            track=earlier.track
            + tuple(p for p in violation.track if p.t_s > earlier.track[-1].t_s),
            details={
                **earlier.details,
                "merged_track_ids": [
                    *earlier.details.get("merged_track_ids", []),
                    violation.track_id,
                ],
            },
        )
        kept[kept.index(earlier)] = merged
    return kept


def _continues(earlier: Violation, later: Violation, settings: WrongWaySettings) -> bool:
    """Whether ``later`` is the road user of ``earlier``: seen twice at once, or seen again
    where it was lost moments before."""
    if (
        earlier.rule != later.rule
        or earlier.zone_id != later.zone_id
        or earlier.track_id == later.track_id
    ):
        return False
    if _boxed_twice(earlier, later, settings):
        return True
    lost, resumed = earlier.track[-1], later.track[0]
    gap = resumed.t_s - lost.t_s
    if not -0.5 <= gap <= settings.merge_gap_s:
        return False
    height = max(lost.xyxy[3] - lost.xyxy[1], 1.0)
    (x0, y0), (x1, y1) = lost.foot, resumed.foot
    return math.hypot(x1 - x0, y1 - y0) <= settings.merge_distance_heights * height


def _boxed_twice(a: Violation, b: Violation, settings: WrongWaySettings) -> bool:
    boxes = {point.frame_index: point.xyxy for point in a.track}
    shared = [(boxes[p.frame_index], p.xyxy) for p in b.track if p.frame_index in boxes]
    if len(shared) < settings.nested_min_frames:
        return False
    first, second = (np.array(side, dtype=float) for side in zip(*shared, strict=True))
    # Share of the smaller box inside the other, frame by frame.
    shares = np.diag(sv.box_iou_batch(first, second, overlap_metric=sv.OverlapMetric.IOS))
    # Distance between the two boxes' bottom-centres, in heights of the smaller box.
    width = np.stack([first[:, 2] - first[:, 0], second[:, 2] - second[:, 0]])
    height = np.stack([first[:, 3] - first[:, 1], second[:, 3] - second[:, 1]])
    smaller_height = height[np.argmin(width * height, axis=0), np.arange(len(shared))]
    foot_gaps = np.hypot(
        (first[:, 0] + first[:, 2] - second[:, 0] - second[:, 2]) / 2, first[:, 3] - second[:, 3]
    ) / np.maximum(smaller_height, 1.0)
    return (
        float(np.median(shares)) >= settings.nested_share
        and float(np.median(foot_gaps)) <= settings.nested_foot_heights
    )


def _smoothed_feet(observations: list[Observation]) -> np.ndarray:
    """Feet positions with a 3-sample moving median, which removes one-frame box jumps. The ends
    are padded by linear extrapolation from their neighbours, so that a jump in the first or last
    box is removed too while steady motion keeps its full length."""
    feet = np.array([o.foot for o in observations], dtype=float)
    if len(feet) < 3:
        return feet
    before = 2 * feet[1] - feet[2]
    after = 2 * feet[-2] - feet[-3]
    padded = np.vstack([before, feet, after])
    return np.median(np.stack([padded[:-2], padded[1:-1], padded[2:]]), axis=0)


def _projection(observations: list[Observation], lane: Lane) -> np.ndarray:
    ux, uy = lane.unit_direction()
    feet = _smoothed_feet(observations)
    return feet[:, 0] * ux + feet[:, 1] * uy
