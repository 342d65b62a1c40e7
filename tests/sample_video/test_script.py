import pytest

from detectors.signals.states import SignalState
from sample_video import scene
from sample_video.script import (
    CAST,
    SIGNAL_CHANGES,
    Actor,
    frame_time,
    lamps_lit,
    placement,
    placements_at,
    pose_at,
    signal_state_at,
)

FRAMES = [frame_time(i) for i in range(scene.FRAME_COUNT)]


def _actor(actor_id: str) -> Actor:
    return next(actor for actor in CAST if actor.id == actor_id)


def test_phases_run_green_then_flashing_green_then_red() -> None:
    states = [signal_state_at(t) for t in FRAMES]
    changes = [s for i, s in enumerate(states) if i == 0 or s != states[i - 1]]
    assert changes == [SignalState.GREEN, SignalState.FLASHING_GREEN, SignalState.RED]


@pytest.mark.parametrize(
    ("state", "expected"),
    [(SignalState.GREEN, {(False, True)}), (SignalState.RED, {(True, False)})],
)
def test_steady_phases_light_one_lamp(state: SignalState, expected: set) -> None:
    assert {lamps_lit(t) for t in FRAMES if signal_state_at(t) is state} == expected


def test_flashing_green_blinks_the_green_lamp_only() -> None:
    flashing = [lamps_lit(t) for t in FRAMES if signal_state_at(t) is SignalState.FLASHING_GREEN]
    assert {red for red, _ in flashing} == {False}
    greens = [green for _, green in flashing]
    blinks = sum(1 for a, b in zip(greens, greens[1:], strict=False) if a and not b)
    assert blinks >= 2


def test_pose_follows_the_keyframes_and_exists_only_between_them() -> None:
    actor = _actor("p1_green")
    (t0, x0, d0), (t1, x1, d1) = actor.path[:2]
    assert pose_at(actor, t0 - 0.01) is None
    assert pose_at(actor, actor.path[-1][0] + 0.01) is None
    middle = pose_at(actor, (t0 + t1) / 2)
    assert middle is not None and middle.moving
    assert (middle.x_m, middle.depth_m) == pytest.approx(((x0 + x1) / 2, (d0 + d1) / 2))


def test_a_standing_person_has_their_feet_on_the_ground_at_their_height() -> None:
    actor = _actor("p7_waits_on_red")
    t = scene.DURATION_S - 1
    pose = pose_at(actor, t)
    placed = placement(actor, t, (100, 400))
    assert pose is not None and not pose.moving and placed is not None
    assert placed.y0 + placed.height == round(scene.to_image(pose.x_m, pose.depth_m)[1])
    assert placed.height == round(actor.size_m * scene.px_per_metre(pose.depth_m))
    assert placed.width == round(placed.height / 4)


def test_walkers_bob_but_keep_their_size() -> None:
    actor = _actor("p1_green")
    bottoms = set()
    for t in (1.0, 1.1, 1.2, 1.3):
        placed = placement(actor, t, (100, 400))
        pose = pose_at(actor, t)
        assert placed is not None and pose is not None
        ground = scene.to_image(pose.x_m, pose.depth_m)[1]
        bottoms.add(round(ground - (placed.y0 + placed.height)))
    assert len(bottoms) > 1 and min(bottoms) >= 0


def test_two_wheelers_face_the_way_they_ride() -> None:
    for actor in (a for a in CAST if a.kind == "two_wheeler"):
        heading = actor.path[-1][1] - actor.path[0][1]
        placed = placement(actor, (actor.path[0][0] + actor.path[-1][0]) / 2, (593, 400))
        assert placed is not None and placed.mirrored == (heading < 0)


def test_placements_are_drawn_far_to_near_and_clip_to_the_frame() -> None:
    sizes = {actor.look: (100, 300) for actor in CAST}
    for t in (0.0, 10.5, 17.0):
        placed = placements_at(t, sizes)
        depths = [p.depth_m for p in placed]
        assert depths == sorted(depths, reverse=True)
        for p in placed:
            box = p.visible_box()
            if box is not None:
                assert 0 <= box[0] < box[2] <= scene.FRAME_WIDTH
                assert 0 <= box[1] < box[3] <= scene.FRAME_HEIGHT


def test_signal_changes_start_at_zero_and_stay_inside_the_clip() -> None:
    starts = [start for start, _ in SIGNAL_CHANGES]
    assert starts[0] == 0.0 and starts == sorted(starts) and starts[-1] < scene.DURATION_S
