"""Clip continuity on synthetic clips: a scripted detector plays a rider who rides down lane nb
(against its direction) across the cut between two consecutive clips of one camera."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from detectors.config.errors import InputError
from detectors.continuity import MAX_GAP_S, gap_to, read_state, write_state
from detectors.pipeline import analyse_clip

START = datetime(2026, 11, 16, 8, 0, tzinfo=UTC)
FRAMES = 20  # each clip: 2 s at 10 fps
X, H = 110.0, 50.0  # lane nb's axis; the motorcycle's box height


class ScriptedDetector:
    """Boxes of each analysed frame in turn, from a script shared by consecutive clips."""

    version = "scripted@0"

    def __init__(self, make_detections, wheels: dict[int, float], first_frame: int = 0):
        self.make_detections = make_detections
        self.wheels = wheels  # stream frame -> wheel row of the motorcycle
        self.frame = first_frame

    def detect(self, image):
        y = self.wheels.get(self.frame)
        self.frame += 1
        if y is None:
            return self.make_detections([], [])
        # Confidence under what teaches the perspective: the zones stay surveyed.
        return self.make_detections([[X - 25, y - H, X + 25, y]], ["motorcycle"], confidence=0.45)

    def detect_tiles(self, image, tiles):
        return self.detect(image)  # the script's boxes are in frame coordinates already

    class settings:  # noqa: N801 - stands in for DetectorSettings
        image_size = 640


def ride(first_frame: int, frames: int, y0: float = 30.0, px_per_frame: float = 14.0):
    return {first_frame + i: y0 + i * px_per_frame for i in range(frames)}


@pytest.fixture
def camera(make_camera):
    return make_camera(
        signals=[
            {"id": s, "kind": "pedestrian", "source": "timeline", "timeline": [[0.0, "red"]]}
            for s in ("ped_south", "ped_north")
        ]
    )


@pytest.fixture
def clips(make_clip):
    return tuple(
        make_clip(name=name, frames=FRAMES, size=(640, 480)) for name in ("a.mp4", "b.mp4")
    )


def run(clips, camera, make_detections, wheels, continued: bool):
    first = analyse_clip(
        clips[0], camera, ScriptedDetector(make_detections, wheels), clip_start=START
    )
    second = analyse_clip(
        clips[1],
        camera,
        ScriptedDetector(make_detections, wheels, first_frame=FRAMES),
        clip_start=START + timedelta(seconds=first.analysed_duration_s),
        after=first.boundary if continued else None,
    )
    return first, second


def test_an_event_seen_before_the_cut_is_not_reported_again_after_it(
    clips, camera, make_detections
):
    wheels = ride(0, 30)  # from the lane's top at 0 s to its bottom at 2.9 s, across the cut

    first, second = run(clips, camera, make_detections, wheels, continued=True)
    _, alone = run(clips, camera, make_detections, wheels, continued=False)

    assert [v.rule for v in first.violations] == ["wrong_way"]
    assert second.violations == []  # the same rider, already reported
    assert second.continued is first.boundary
    assert len(alone.violations) == 1  # a clip analysed alone cannot know


def test_an_event_spanning_the_cut_is_found_once_from_where_it_began(
    clips, camera, make_detections
):
    wheels = ride(16, 14)  # enters at 1.6 s, 0.4 s before the cut: too short to tell there

    first, second = run(clips, camera, make_detections, wheels, continued=True)

    assert first.violations == []
    [event] = second.violations
    assert event.t_s == pytest.approx(-0.3, abs=0.05)  # it began in the first clip
    assert event.details["began_before_clip_s"] == pytest.approx(0.3, abs=0.05)
    assert event.frame_index >= 0 and all(p.frame_index >= 0 for p in event.track)
    assert event.track_id == first.boundary.tracks[0].track_id  # one road user, one id
    # Counted once: the road user and its lane passage belong to the clip it was first seen in.
    assert len(first.tracks) == 1 and second.tracks == []
    assert second.passages == []


def test_a_clip_with_a_gap_before_it_starts_fresh(clips, camera, make_detections):
    wheels = ride(0, 30)
    first = analyse_clip(
        clips[0], camera, ScriptedDetector(make_detections, wheels), clip_start=START
    )
    late = START + timedelta(seconds=first.analysed_duration_s + MAX_GAP_S + 1)

    second = analyse_clip(
        clips[1],
        camera,
        ScriptedDetector(make_detections, wheels, FRAMES),
        clip_start=late,
        after=first.boundary,
    )

    assert second.continued is None
    assert "ended 3.0 s before" in second.not_continued_because


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"camera_id": "other-cam"}, "camera 'other-cam'"),
        ({"config_hash": "0" * 12}, "configuration changed"),
        ({"clip_started_at": None}, "wall-clock start"),
    ],
)
def test_a_state_of_another_camera_or_configuration_is_not_continued(
    clips, camera, make_detections, change, reason
):
    first = analyse_clip(clips[0], camera, ScriptedDetector(make_detections, {}), clip_start=START)
    state = first.boundary.model_copy(update=change)

    gap = gap_to(state, camera.camera_id, first.config_hash, START + timedelta(seconds=2))

    assert reason in gap


def test_the_state_survives_its_file_and_a_wrong_version_is_refused(
    clips, camera, make_detections, tmp_path
):
    first = analyse_clip(
        clips[0], camera, ScriptedDetector(make_detections, ride(10, 10)), clip_start=START
    )
    write_state(first.boundary, tmp_path)

    assert read_state(tmp_path) == first.boundary
    assert [len(t.observations) for t in first.boundary.tracks] == [9]  # the road user in view

    (tmp_path / "boundary.json").write_text('{"version": 99}', encoding="utf-8")
    with pytest.raises(InputError, match="version 99"):
        read_state(tmp_path)
    with pytest.raises(InputError, match="no boundary.json"):
        read_state(tmp_path / "elsewhere")


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("{not json", "not a boundary state"),
        ("[1, 2]", "not a boundary state"),
        ('{"version": 1, "camera_id": "cam"}', "damaged boundary state"),
    ],
)
def test_a_damaged_state_file_is_named_with_the_fix(tmp_path, content, problem):
    (tmp_path / "boundary.json").write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=f"boundary.json: {problem}.*leave --after out"):
        read_state(tmp_path)


def test_an_event_after_the_cut_shows_only_this_clips_frames(clips, camera, make_detections):
    """Riding with the lane across the cut, then a U-turn: the event is the second clip's, its
    evidence track reaching back 4 s, though only into this clip's frames."""
    wheels = {frame: 150.0 + 1.2 * (frame - 25) ** 2 for frame in range(10, 41)}  # turns at 0.5 s

    first, second = run(clips, camera, make_detections, wheels, continued=True)

    assert first.violations == []
    [event] = second.violations
    assert 0.3 <= event.t_s <= 0.6 and "began_before_clip_s" not in event.details
    assert event.track[0].frame_index == 0  # 4 s before the turn is the first clip's
