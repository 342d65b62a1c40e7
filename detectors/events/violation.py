"""The one output type of every rule: a Violation, all that evidence writer and loader take."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from detectors.frames.view import IDENTITY, ViewTransform

Rule = Literal["pedestrian_red_light", "wrong_way"]
RULES: tuple[Rule, ...] = ("pedestrian_red_light", "wrong_way")


@dataclass(frozen=True)
class TrackPoint:
    """Where a road user's box was on one analysed frame."""

    t_s: float
    frame_index: int
    xyxy: tuple[float, float, float, float]

    @property
    def foot(self) -> tuple[float, float]:
        x1, _, x2, y2 = self.xyxy
        return (x1 + x2) / 2, y2


@dataclass(frozen=True)
class CourierAttribution:
    platform: str | None  # None: not attributed to any platform ("unknown")
    confidence: float

    @property
    def is_courier(self) -> bool:
        return self.platform is not None


@dataclass(frozen=True)
class Violation:
    rule: Rule
    camera_id: str
    zone_id: str
    track_id: int
    class_name: str
    t_s: float  # when the event begins (feet first inside; first moment against the direction)
    frame_index: int  # decoded frame index at t_s
    x: float  # bottom-centre of the road user at t_s, clip pixels (on the frame)
    y: float
    confidence: float  # mean detector confidence over the track points
    track: tuple[TrackPoint, ...]  # the road user's positions around the event, oldest first
    t_end_s: float | None = None  # when it left the zone (wrong_way), if seen
    signal_id: str | None = None
    signal_state: str | None = None  # state of the governing signal at t_s
    courier: CourierAttribution | None = None
    details: dict[str, Any] = field(default_factory=dict)  # why the rule fired, in numbers
    view: ViewTransform = IDENTITY  # the camera's reference view -> the frame at t_s
    clip_id: str = ""  # set once the clip's content hash is known

    @property
    def event_id(self) -> str:
        """Unique across clips; stable across re-runs of a clip with the same settings."""
        origin = self.clip_id or self.camera_id
        return f"{origin}-{self.rule}-{self.zone_id}-{self.track_id}-{self.frame_index}"
