import pytest

from detectors.signals.states import SignalState
from sample_video import scene
from sample_video.cast import TWO_WHEELERS
from sample_video.script import CAST, SIGNAL_CHANGES, Actor, frame_time, placement, signal_state_at
from sample_video.truth import (
    build_truth,
    inside,
    pedestrian_events,
    signal_states,
    wrong_way_events,
)

STEP = frame_time(1)
Sizes = dict[str, tuple[int, int]]


def _feet(actor: Actor, t: float, sizes: Sizes) -> tuple[float, float] | None:
    placed = placement(actor, t, sizes[actor.look])
    return None if placed is None else placed.bottom_centre()


def _actor_at(kind: str, t: float, point: tuple[float, float], sizes: Sizes) -> Actor:
    """The actor whose drawn box's bottom-centre is ``point`` at ``t``: events carry no ids."""
    found = [a for a in CAST if a.kind == kind and _feet(a, t, sizes) == tuple(point)]
    assert len(found) == 1
    return found[0]


def test_the_story_has_two_red_light_crossings_and_two_wrong_way_riders(sizes: Sizes) -> None:
    assert len(pedestrian_events(sizes)) == 2
    assert [event["courier"] for event in wrong_way_events(sizes)] == [True, False]


def test_red_light_events_start_when_the_feet_step_onto_the_zebra(sizes: Sizes) -> None:
    polygon = scene.crosswalk_polygon()
    for event in pedestrian_events(sizes):
        point = (event["x"], event["y"])
        actor = _actor_at("person", event["t"], point, sizes)
        before = _feet(actor, event["t"] - STEP, sizes)
        assert inside(polygon, point)
        assert before is not None and not inside(polygon, before)
        assert signal_state_at(event["t"]) is SignalState.RED
        assert event["zone"] == scene.CROSSWALK_ID


def test_people_already_on_the_zebra_when_it_turns_red_are_not_events(sizes: Sizes) -> None:
    polygon = scene.crosswalk_polygon()
    red_from = SIGNAL_CHANGES[-1][0]
    on_zebra = [
        actor
        for actor in CAST
        if actor.kind == "person"
        and (feet := _feet(actor, red_from, sizes)) is not None
        and inside(polygon, feet)
    ]
    flagged = {
        _actor_at("person", e["t"], (e["x"], e["y"]), sizes).id for e in pedestrian_events(sizes)
    }
    assert len(on_zebra) >= 2
    assert not flagged & {actor.id for actor in on_zebra}


def test_wrong_way_events_span_the_time_in_the_lane(sizes: Sizes) -> None:
    lane = scene.lane_polygon()
    for event in wrong_way_events(sizes):
        actor = _actor_at("two_wheeler", event["t"], (event["x"], event["y"]), sizes)
        assert (actor.path[-1][1] - actor.path[0][1]) * scene.LANE_DIRECTION[0] < 0
        moments = (event["t"] - STEP, event["t_end"], event["t_end"] + STEP)
        before, last, after = (_feet(actor, t, sizes) for t in moments)
        assert before is None or not inside(lane, before)
        assert last is not None and inside(lane, last)
        assert after is None or not inside(lane, after)
        assert event["t_end"] - event["t"] > 2.0
        assert event["courier"] == TWO_WHEELERS[actor.look].courier_box
        assert event["courier"] == ("courier" in actor.id)


def test_signal_states_cover_the_clip_without_gaps(sizes: Sizes) -> None:
    states = build_truth(sizes)["signal_states"]
    assert states[0]["from_s"] == 0.0 and states[-1]["to_s"] == scene.DURATION_S
    for earlier, later in zip(states, states[1:], strict=False):
        assert earlier["to_s"] == later["from_s"]
    for state in signal_states():
        middle = (state["from_s"] + state["to_s"]) / 2
        assert signal_state_at(middle).value == state["state"]
        assert state["signal"] == scene.SIGNAL_ID


def test_truth_follows_the_evaluation_contract(sizes: Sizes) -> None:
    truth = build_truth(sizes)
    assert truth["duration_s"] == pytest.approx(scene.FRAME_COUNT / scene.FPS)
    assert truth["complete_for"] == ["pedestrian_red_light", "wrong_way"]
    times = [event["t"] for event in truth["events"]]
    assert times == sorted(times)
    for event in truth["events"]:
        keys = {"rule", "t", "x", "y", "zone"}
        if event["rule"] == "wrong_way":
            keys |= {"t_end", "courier"}
        assert set(event) == keys
        assert 0 <= event["t"] < truth["duration_s"]
