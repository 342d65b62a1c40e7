"""Per-track summaries and zone passages: the exposure, i.e. the denominators of every rate.

A passage is one road user's use of one zone: a pedestrian entering a crosswalk (debounced the same
way the red-light rule is, so numerator and denominator count alike) or a two-wheeler travelling
through a lane, with or against its direction. A lane passage carries its rider's courier
attribution, so per-platform rates have a denominator.
"""

from __future__ import annotations

from dataclasses import dataclass

from detectors.events.pedestrian_red_light import PedestrianRedLight
from detectors.events.violation import CourierAttribution
from detectors.events.wrong_way import WrongWay
from detectors.tracks.history import Track

# A two-wheeler seen in a lane for less than this is a glimpse, not a pass.
MIN_PASS_S = 0.5


@dataclass(frozen=True)
class TrackSummary:
    track_id: int
    class_name: str
    road_user: str  # pedestrian | rider | two_wheeler
    first_s: float
    last_s: float
    observations: int
    mean_confidence: float
    speed_heights_per_s: float


@dataclass(frozen=True)
class ZonePassage:
    track_id: int
    road_user: str
    zone_kind: str  # crosswalk | lane
    zone_id: str
    entered_s: float
    left_s: float
    signal_id: str | None
    signal_state_at_entry: str | None
    along_direction_px: float | None  # lanes: + with the legal direction, - against
    courier: CourierAttribution | None = None  # lanes: the rider's livery; None = not attributed


def road_user(track: Track) -> str:
    if track.is_two_wheeler:
        return "two_wheeler"
    return "rider" if track.is_rider else "pedestrian"


def summarise(track: Track) -> TrackSummary:
    return TrackSummary(
        track_id=track.track_id,
        class_name=track.class_name,
        road_user=road_user(track),
        first_s=track.observations[0].t_s,
        last_s=track.observations[-1].t_s,
        observations=len(track.observations),
        mean_confidence=round(track.mean_confidence(), 4),
        speed_heights_per_s=round(track.speed_heights_per_s(), 3),
    )


def passages(
    track: Track,
    red_light: PedestrianRedLight,
    wrong_way: WrongWay,
    courier: CourierAttribution | None = None,
) -> list[ZonePassage]:
    """The track's crosswalk entries and lane passages; ``courier`` is the road user's livery."""
    kind = road_user(track)
    found = []
    for entry in red_light.entries(track):
        at = track.observations[entry.index]
        found.append(
            ZonePassage(
                track_id=track.track_id,
                road_user=kind,
                zone_kind="crosswalk",
                zone_id=entry.crosswalk.id,
                entered_s=at.t_s,
                left_s=round(at.t_s + entry.inside_s, 3),
                signal_id=entry.crosswalk.signal,
                signal_state_at_entry=str(entry.signal_state),
                along_direction_px=None,
            )
        )
    for lane_pass in wrong_way.passes(track):
        first, last = track.observations[lane_pass.start], track.observations[lane_pass.end - 1]
        if last.t_s - first.t_s < MIN_PASS_S:
            continue
        found.append(
            ZonePassage(
                track_id=track.track_id,
                road_user=kind,
                zone_kind="lane",
                zone_id=lane_pass.lane.id,
                entered_s=first.t_s,
                left_s=last.t_s,
                signal_id=None,
                signal_state_at_entry=None,
                along_direction_px=round(lane_pass.along_px, 1),
                courier=courier,
            )
        )
    return found
