"""Registration to the reference view on synthetic frames: a street scene shifted, wobbled, moved
beyond tolerance or swapped for another view, with traffic crossing it."""

import cv2
import numpy as np
import pytest

from detectors.frames.view import (
    IDENTITY,
    REGISTER_INTERVAL_S,
    VIEW_TOLERANCE,
    ViewRegistrar,
    ViewTransform,
)

WIDTH, HEIGHT = 640, 360


def scene(seed: int) -> np.ndarray:
    """A street-like scene, larger than the frame so that it can be panned over."""
    rng = np.random.default_rng(seed)
    big = np.full((HEIGHT + 200, WIDTH + 400, 3), 90, np.uint8)
    for _ in range(120):
        x, y = int(rng.integers(0, big.shape[1])), int(rng.integers(0, big.shape[0]))
        w, h = int(rng.integers(8, 80)), int(rng.integers(4, 40))
        cv2.rectangle(
            big, (x, y), (x + w, y + h), tuple(int(c) for c in rng.integers(0, 255, 3)), -1
        )
    stripes_y, period = int(rng.integers(150, 400)), int(rng.integers(40, 80))
    for k in range(0, big.shape[1], period):  # zebra-like stripes
        cv2.rectangle(big, (k, stripes_y), (k + period // 2, stripes_y + 30), (235, 235, 235), -1)
    return big


def view(big: np.ndarray, dx: float, dy: float, traffic_t: float | None = None) -> np.ndarray:
    """The frame of a camera looking at ``big``, its picture shifted by (dx, dy) pixels from the
    reference view (the camera turned the other way)."""
    matrix = np.float32([[1, 0, -200 + dx], [0, 1, -100 + dy]])
    frame = cv2.warpAffine(big, matrix, (WIDTH, HEIGHT), flags=cv2.INTER_LINEAR)
    if traffic_t is not None:  # vehicles drive across the frame (they are not the scene)
        for lane, speed in ((200, 160), (260, -120), (320, 200)):
            x = int((traffic_t * speed) % WIDTH)
            cv2.rectangle(frame, (x, lane), (x + 70, lane + 35), (30, 30, 200), -1)
    return frame


def run(frames: list[tuple[float, np.ndarray]], reference: np.ndarray | None = None):
    registrar = ViewRegistrar((WIDTH, HEIGHT), reference)
    return registrar, [registrar.update(t_s, frame) for t_s, frame in frames]


@pytest.mark.parametrize(("dx", "dy"), [(12.0, -7.0), (-25.0, 18.0), (3.5, 2.0)])
def test_under_a_known_shift_the_zones_follow_within_a_pixel_or_two(dx, dy):
    big = scene(1)
    frames = [
        (k / 10, view(big, dx * min(1, k / 20), dy * min(1, k / 20), k / 10)) for k in range(31)
    ]
    registrar, transforms = run(frames)
    zone_corner = np.array([[300.0, 250.0]])
    moved = transforms[-1].to_frame(zone_corner)[0]
    assert moved == pytest.approx([300 + dx, 250 + dy], abs=2.0)
    assert registrar.report.changed_at_s is None
    assert registrar.report.max_shift_px == pytest.approx(max(abs(dx), abs(dy)), abs=2.0)


def test_a_wobbling_camera_is_followed_and_never_called_changed():
    big = scene(2)
    wobble = [(8 * np.sin(k / 3), 5 * np.cos(k / 4)) for k in range(60)]
    frames = [(k / 10, view(big, dx, dy, k / 10)) for k, (dx, dy) in enumerate(wobble)]
    registrar, transforms = run(frames)
    # The first frame is the reference: the view is followed relative to it.
    errors = [
        abs(t.to_frame(np.array([[0.0, 0.0]]))[0] - (dx - wobble[0][0], dy - wobble[0][1])).max()
        for t, (dx, dy), k in zip(transforms, wobble, range(60), strict=True)
        if k % 2 == 0  # registered frames (5 a second); the others keep the last fit
    ]
    assert max(errors) < 2.0
    assert registrar.report.changed_at_s is None


def test_a_move_beyond_tolerance_is_a_view_change_dated_at_its_start():
    big = scene(3)
    far = VIEW_TOLERANCE * WIDTH * 1.5
    frames = [(k / 10, view(big, 0 if k < 20 else far, 0, k / 10)) for k in range(50)]
    registrar, _ = run(frames)
    assert registrar.report.changed_at_s == pytest.approx(2.0)


def test_a_preset_change_to_another_view_is_a_view_change():
    before, after = scene(4), scene(5)
    frames = [(k / 10, view(before if k < 25 else after, 0, 0, k / 10)) for k in range(50)]
    registrar, transforms = run(frames)
    assert registrar.report.changed_at_s == pytest.approx(2.6, abs=REGISTER_INTERVAL_S)
    assert transforms[-1] == transforms[26]  # nothing is registered after the change


def test_a_bus_passing_the_lens_is_not_a_view_change():
    big = scene(6)
    frames = []
    for k in range(50):
        frame = view(big, 0, 0, k / 10)
        if 20 <= k < 24:  # half the picture hidden for 0.4 s
            frame[:, : WIDTH // 2] = (40, 120, 40)
        frames.append((k / 10, frame))
    registrar, _ = run(frames)
    assert registrar.report.changed_at_s is None


def test_a_reference_image_sets_the_view_the_zones_were_drawn_on():
    big = scene(7)
    reference = view(big, 0, 0)
    frames = [(k / 10, view(big, 15, -10, k / 10)) for k in range(10)]
    _, transforms = run(frames, reference=cv2.resize(reference, (WIDTH * 2, HEIGHT * 2)))
    assert transforms[-1].to_frame(np.array([[0.0, 0.0]]))[0] == pytest.approx([15, -10], abs=2)


def test_transform_maps_boxes_to_the_reference_view_by_their_feet():
    transform = ViewTransform((1.0, 0.0, 10.0, 0.0, 1.0, -4.0))
    assert transform.box_to_reference((110.0, 46.0, 130.0, 96.0)) == pytest.approx(
        (100.0, 50.0, 120.0, 100.0)
    )
    assert IDENTITY.box_to_reference((1.0, 2.0, 3.0, 4.0)) == (1.0, 2.0, 3.0, 4.0)
    assert transform.shift_px(640, 360) == pytest.approx(10.0)
