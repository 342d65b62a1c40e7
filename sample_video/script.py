"""The scene script: the signal's phases and who walks or rides where, when.

Everything the renderer draws and the ground truth states is computed from this script, so the
labels are exact by construction. Paths are ground keyframes ``(t_s, x_m, depth_m)`` joined by
straight lines; an actor exists from its first keyframe to its last.

The story (signal: green, flashing green from 8 s, red from 11 s):
- two people cross on green; one slow walker is still on the zebra when it turns red; one steps
  on during the flashing green: none of them is an event;
- one waits at the kerb and goes on red, another walks straight on from the far side on red:
  two ``pedestrian_red_light`` events; a third waits at the kerb and stays there;
- four two-wheelers ride the bike lane its legal way (left to right), two of them couriers;
  two ride against it, one with a courier box: two ``wrong_way`` events.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from detectors.signals.states import SignalState
from sample_video import scene

SIGNAL_CHANGES: tuple[tuple[float, SignalState], ...] = (
    (0.0, SignalState.GREEN),
    (8.0, SignalState.FLASHING_GREEN),
    (11.0, SignalState.RED),
)
FLASH_PERIOD_S = 1.0  # the green lamp is lit for the first half of each period

STEP_HZ = 1.9
BOB_M = 0.035
SWAY = 0.03  # relative change of a walker's width as the legs open and close

Kind = Literal["person", "two_wheeler"]
Path = tuple[tuple[float, float, float], ...]


@dataclass(frozen=True)
class Actor:
    id: str
    kind: Kind
    look: str
    path: Path
    size_m: float  # a person's height, a two-wheeler's length
    mirrored: bool = False  # people only; two-wheelers face the way they ride


# People waiting on the pavement stand back from the kerb, so riders pass behind their heads.
LEGAL_DEPTH_M, WRONG_WAY_DEPTH_M = 16.6, 17.0


def _ride(actor_id: str, look: str, at_zebra_s: float, legal: bool) -> Actor:
    """A two-wheeler crossing the whole picture at 4.5 m/s, passing the zebra at ``at_zebra_s``."""
    speed, reach = 4.5, 10.5
    start, end = (-reach, reach) if legal else (reach, -reach)
    depth = LEGAL_DEPTH_M if legal else WRONG_WAY_DEPTH_M
    half_time = reach / speed
    path = ((at_zebra_s - half_time, start, depth), (at_zebra_s + half_time, end, depth))
    return Actor(actor_id, "two_wheeler", look, path, 2.1)


CAST: tuple[Actor, ...] = (
    Actor(
        "p1_green",
        "person",
        "fleece",
        ((0.0, -1.4, 15.0), (5.6, -1.4, 22.9), (8.5, -5.4, 23.4), (14.0, -13.0, 23.4)),
        1.76,
    ),
    Actor(
        "p2_green",
        "person",
        "black_coat_teal",
        ((0.0, 7.0, 23.6), (3.2, 1.0, 23.2), (8.9, 0.9, 15.2), (14.0, 8.5, 14.9)),
        1.74,
        mirrored=True,
    ),
    Actor(
        "p3_slow_on_crossing_at_red",
        "person",
        "fleece_grey",
        ((0.0, -5.2, 15.05), (6.0, 0.2, 15.05), (14.9, 0.2, 23.05), (24.0, 11.0, 23.5)),
        1.66,
    ),
    Actor(
        "p4_flashing_green",
        "person",
        "black_coat",
        (
            (0.0, -11.5, 23.5),
            (8.4, -0.5, 23.3),
            (14.0, -0.5, 15.2),
            (18.0, -5.5, 14.95),
            (22.0, -10.5, 14.95),
        ),
        1.78,
    ),
    Actor(
        "p5_waits_then_red",
        "person",
        "fleece_camel",
        (
            (4.0, 9.5, 15.0),
            (10.2, 1.6, 14.8),
            (13.0, 1.6, 14.8),
            (18.5, 1.6, 23.1),
            (26.0, 12.0, 23.3),
        ),
        1.72,
        mirrored=True,
    ),
    Actor(
        "p6_red_from_far_side",
        "person",
        "black_coat_khaki",
        ((5.0, 13.0, 23.4), (15.5, -1.0, 23.3), (21.3, -1.0, 15.2), (24.0, 2.5, 14.85)),
        1.80,
        mirrored=True,
    ),
    Actor(
        "p7_waits_on_red",
        "person",
        "fleece_navy",
        ((6.0, -10.3, 15.0), (12.5, -1.8, 14.8), (scene.DURATION_S, -1.8, 14.8)),
        1.70,
    ),
    _ride("m1_legal", "rider_red", 3.3, legal=True),
    _ride("m2_legal_courier", "courier_red", 5.0, legal=True),
    _ride("m3_wrong_way_courier", "courier_blue", 10.5, legal=False),
    _ride("m4_wrong_way", "rider_black", 17.3, legal=False),
    _ride("m5_legal", "rider_blue", 22.0, legal=True),
    _ride("m6_legal_courier", "courier_red", 23.2, legal=True),
)


def signal_state_at(t: float) -> SignalState:
    return [state for start, state in SIGNAL_CHANGES if start <= t][-1]


def lamps_lit(t: float) -> tuple[bool, bool]:
    """(red lamp lit, green lamp lit) at clip time ``t``."""
    state = signal_state_at(t)
    if state is SignalState.FLASHING_GREEN:
        since = t - next(start for start, s in SIGNAL_CHANGES if s is state)
        return False, (since % FLASH_PERIOD_S) < FLASH_PERIOD_S / 2
    return state is SignalState.RED, state is SignalState.GREEN


def frame_time(index: int) -> float:
    return index / scene.FPS


@dataclass(frozen=True)
class Pose:
    x_m: float
    depth_m: float
    moving: bool
    heading_x: float  # sign of the motion along the road; 0 when walking straight across


def pose_at(actor: Actor, t: float) -> Pose | None:
    path = actor.path
    if not path[0][0] <= t <= path[-1][0]:
        return None
    for (t0, x0, d0), (t1, x1, d1) in zip(path, path[1:], strict=False):
        if t0 <= t <= t1:
            share = (t - t0) / (t1 - t0)
            heading = math.copysign(1, x1 - x0) if x1 != x0 else 0.0
            moving = (x0, d0) != (x1, d1)
            return Pose(x0 + share * (x1 - x0), d0 + share * (d1 - d0), moving, heading)
    raise AssertionError("unreachable: t lies within the path")


@dataclass(frozen=True)
class Placement:
    """Where one actor's sprite is drawn in one frame: its box may run past the frame's edge."""

    actor: Actor
    x0: int
    y0: int
    width: int
    height: int
    mirrored: bool
    depth_m: float

    def visible_box(self) -> tuple[int, int, int, int] | None:
        """(x0, y0, x1, y1) clipped to the frame, or None when entirely outside."""
        x0, y0 = max(0, self.x0), max(0, self.y0)
        x1 = min(scene.FRAME_WIDTH, self.x0 + self.width)
        y1 = min(scene.FRAME_HEIGHT, self.y0 + self.height)
        return (x0, y0, x1, y1) if x1 > x0 and y1 > y0 else None

    def bottom_centre(self) -> tuple[float, float] | None:
        box = self.visible_box()
        return None if box is None else ((box[0] + box[2]) / 2, float(box[3]))


def placement(actor: Actor, t: float, sprite_size: tuple[int, int]) -> Placement | None:
    """The actor's box at ``t``; ``sprite_size`` is (width, height) of its unscaled sprite."""
    pose = pose_at(actor, t)
    if pose is None:
        return None
    px_per_m = scene.px_per_metre(pose.depth_m)
    sprite_w, sprite_h = sprite_size
    x, y = scene.to_image(pose.x_m, pose.depth_m)
    if actor.kind == "person":
        height = round(actor.size_m * px_per_m)
        phase = 2 * math.pi * STEP_HZ * t
        sway = 1 + SWAY * math.sin(phase) if pose.moving else 1.0
        width = max(1, round(height * sprite_w / sprite_h * sway))
        lift = BOB_M * px_per_m * abs(math.sin(phase / 2)) if pose.moving else 0.0
        mirrored = actor.mirrored
    else:
        width = round(actor.size_m * px_per_m)
        height = max(1, round(width * sprite_h / sprite_w))
        lift = 0.0
        mirrored = pose.heading_x < 0
    top = round(y - lift) - height
    return Placement(actor, round(x - width / 2), top, width, height, mirrored, pose.depth_m)


def placements_at(t: float, sprite_sizes: dict[str, tuple[int, int]]) -> list[Placement]:
    """Every actor present at ``t``, farthest first (the drawing order)."""
    placed = [placement(actor, t, sprite_sizes[actor.look]) for actor in CAST]
    return sorted((p for p in placed if p is not None), key=lambda p: -p.depth_m)
