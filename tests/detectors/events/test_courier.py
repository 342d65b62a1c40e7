"""Courier attribution on synthetic riders, and on real riders of the Thai footbridge clip."""

from __future__ import annotations

import json
import os
from collections import defaultdict
from pathlib import Path

import cv2
import numpy as np
import pytest

from detectors.config.errors import InputError
from detectors.config.platforms import load_platform_profiles
from detectors.events.courier import CourierAttributor, courier_crop_box, livery_window
from detectors.events.violation import CourierAttribution

# Brand colours in BGR.
MEITUAN_YELLOW = (0, 195, 255)
ELEME_BLUE = (255, 151, 0)
SHOPEE_ORANGE = (45, 77, 238)
GRAB_GREEN = (79, 177, 0)
ROAD_GREY = (110, 110, 110)
DARK = (40, 40, 45)

# A two-wheeler seen from behind: 60 px wide, 100 px tall, in a 400 x 300 frame.
BIKE = (120.0, 150.0, 180.0, 250.0)


def road() -> np.ndarray:
    return np.full((300, 400, 3), ROAD_GREY, np.uint8)


def rider_frame(
    box_colour=None, box_scale=(0.55, 0.35), shirt=(150, 140, 135), scene=None
) -> np.ndarray:
    """A dark two-wheeler and its rider on a scene (grey road), optionally with a rear box."""
    frame = road() if scene is None else scene.copy()
    x1, y1, x2, y2 = (int(v) for v in BIKE)
    width, height = x2 - x1, y2 - y1
    cv2.rectangle(frame, (x1 + 15, y1), (x2 - 15, y2), DARK, -1)  # wheel, mudguard, seat
    cv2.rectangle(frame, (x1, y1), (x2, y1 + 12), DARK, -1)  # handlebar
    cv2.rectangle(frame, (x1 + 10, y1 - 55), (x2 - 10, y1 + 20), shirt, -1)  # rider's back
    cv2.circle(frame, ((x1 + x2) // 2, y1 - 68), 13, DARK, -1)  # helmet
    if box_colour is not None:
        box_w, box_h = int(box_scale[0] * width), int(box_scale[1] * height)
        left, top = (x1 + x2 - box_w) // 2, y1 - box_h // 3
        cv2.rectangle(frame, (left, top), (left + box_w, top + box_h), box_colour, -1)
    return frame


def crop_of(frame: np.ndarray, xyxy=BIKE) -> np.ndarray:
    x1, y1, x2, y2 = courier_crop_box(xyxy, frame.shape)
    return frame[y1:y2, x1:x2]


def crops(frame: np.ndarray, count: int = 5) -> list[np.ndarray]:
    return [crop_of(frame)] * count


def attribute(attributor: CourierAttributor, crops: list[np.ndarray]) -> CourierAttribution:
    """One road user's platform from its crops, as the pipeline has it decided."""
    return attributor.decide(attributor.votes(crops))


@pytest.fixture(scope="module")
def china() -> CourierAttributor:
    return CourierAttributor(load_platform_profiles(region="CN"))


@pytest.fixture(scope="module")
def thailand() -> CourierAttributor:
    return CourierAttributor(load_platform_profiles(region="TH"))


def test_crop_box_reaches_above_the_two_wheeler_and_clips_to_the_frame():
    assert courier_crop_box((100, 200, 140, 300), (480, 640, 3)) == (90, 100, 150, 300)
    assert courier_crop_box((0, 50, 40, 150), (480, 640, 3)) == (0, 0, 50, 150)


def test_livery_window_weights_the_rack_and_ignores_the_margins():
    window = livery_window(200, 90)  # the crop of a 60 x 100 two-wheeler box
    assert window[100, 45] == pytest.approx(1.0)  # top of the two-wheeler, middle: the rack
    assert window[:15].max() == 0  # above the rider's head
    assert window[:, :14].max() == 0 and window[:, -14:].max() == 0  # beside the two-wheeler
    assert window[-15:].max() == 0  # wheels on the road


@pytest.mark.parametrize(
    ("colour", "region", "platform"),
    [
        (MEITUAN_YELLOW, "CN", "meituan"),
        (ELEME_BLUE, "CN", "eleme"),
        (SHOPEE_ORANGE, "TH", "shopeefood"),
        (SHOPEE_ORANGE, "CN", "jd"),  # the same red-orange means JD in China
        (GRAB_GREEN, "TH", "green_livery"),  # Grab and LINE MAN are told apart by nobody
    ],
)
def test_a_rear_box_in_a_platform_colour_names_the_platform(colour, region, platform):
    attributor = CourierAttributor(load_platform_profiles(region=region))
    result = attribute(attributor, crops(rider_frame(colour, box_scale=(0.65, 0.5))))
    assert result.platform == platform
    assert result.confidence >= 0.4


def test_a_yellow_box_alone_is_meituan_with_every_crop_agreeing(china):
    result = attribute(china, crops(rider_frame(MEITUAN_YELLOW)))
    assert result.platform == "meituan"
    assert result.confidence > 0.6


def test_a_rider_without_a_box_is_no_courier(china):
    result = attribute(china, crops(rider_frame()))
    assert result.platform is None
    assert result.confidence == 0.0


def test_a_small_yellow_speck_is_no_courier(china):
    frame = rider_frame()
    cv2.rectangle(frame, (146, 140), (151, 145), MEITUAN_YELLOW, -1)
    assert attribute(china, crops(frame)).platform is None


def test_colour_at_the_crop_edge_is_background(china):
    frame = rider_frame()
    cv2.rectangle(frame, (0, 50), (118, 300), MEITUAN_YELLOW, -1)  # a taxi beside the rider
    cv2.rectangle(frame, (100, 50), (200, 62), MEITUAN_YELLOW, -1)  # a sign above the helmet
    assert attribute(china, crops(frame)).platform is None


@pytest.mark.parametrize("taxi_rows", [(70, 170), (100, 200), (60, 260)])
def test_a_yellow_taxi_behind_the_rider_is_background(china, taxi_rows):
    scene = road()
    cv2.rectangle(scene, (40, taxi_rows[0]), (360, taxi_rows[1]), MEITUAN_YELLOW, -1)
    assert attribute(china, crops(rider_frame(scene=scene))).platform is None


def test_scattered_yellow_dots_are_no_box(china):
    frame = rider_frame()
    for y in range(110, 180, 7):
        for x in range(125, 176, 7):
            cv2.rectangle(frame, (x, y), (x + 3, y + 3), MEITUAN_YELLOW, -1)
    assert attribute(china, crops(frame)).platform is None


def test_yellow_straps_across_the_back_are_no_box(china):
    frame = rider_frame()
    cv2.line(frame, (130, 95), (170, 170), MEITUAN_YELLOW, 6)
    cv2.line(frame, (170, 95), (130, 170), MEITUAN_YELLOW, 6)
    assert attribute(china, crops(frame)).platform is None


def test_an_everyday_red_shirt_is_not_a_jd_courier(china):
    # Dyed cotton under daylight is far less saturated than JD's red (S 128 against 225).
    assert attribute(china, crops(rider_frame(shirt=(80, 80, 160)))).platform is None


def test_confidence_is_the_share_of_agreeing_crops_times_colour_strength(china):
    courier, plain = crop_of(rider_frame(MEITUAN_YELLOW)), crop_of(rider_frame())
    all_agree = attribute(china, [courier] * 4)
    most_agree = attribute(china, [courier] * 3 + [plain])
    few_agree = attribute(china, [courier] * 2 + [plain] * 3)
    assert most_agree.platform == "meituan"
    assert most_agree.confidence == pytest.approx(all_agree.confidence * 3 / 4, abs=0.002)
    assert few_agree.platform is None  # 2 of 5 crops is too few to name anyone
    assert 0 < few_agree.confidence < most_agree.confidence  # the near miss stays visible


def test_crops_too_small_to_show_a_livery_do_not_vote(china):
    tiny = cv2.resize(crop_of(rider_frame(MEITUAN_YELLOW)), (14, 30))
    assert china.votes([tiny] * 5) == []
    assert attribute(china, []).platform is None


def test_votes_of_two_tracks_of_one_rider_are_decided_together(china):
    courier, plain = crop_of(rider_frame(MEITUAN_YELLOW)), crop_of(rider_frame())
    first, second = china.votes([courier, plain, plain]), china.votes([courier, courier])

    assert china.decide(first).platform is None  # 1 of 3 agreeing
    assert china.decide(first + second).platform == "meituan"  # 3 of 5


def test_profiles_sharing_a_colour_across_regions_must_be_narrowed_first():
    with pytest.raises(InputError, match=r"'jd' \(CN\) and 'shopeefood'.*region"):
        CourierAttributor(load_platform_profiles())


def test_a_crop_that_is_not_a_bgr_image_is_refused(china):
    with pytest.raises(ValueError, match="crop 1 is float64"):
        attribute(china, [crop_of(rider_frame()), np.zeros((64, 40, 3))])


SHARED = Path(__file__).resolve().parents[3].parent / "shared"
REVERSED_CLIP = SHARED / "videos" / "thai_intersection_footbridge_Traffic2_reversed.mp4"
REVERSED_TRUTH = SHARED / "eval" / "dev" / "truth" / "thai_footbridge_reversed.json"


def track_two_wheelers(video: Path) -> dict[int, list[tuple[int, tuple, np.ndarray]]]:
    """Per track id, (frame index, xyxy, courier crop) of each two-wheeler the shared model sees."""
    os.environ.setdefault("YOLO_CONFIG_DIR", "/tmp/yolo_cfg")
    os.environ.setdefault("YOLO_OFFLINE", "1")
    from ultralytics import YOLO

    model = YOLO(str(SHARED / "models" / "yolo11n_openvino_model"), task="detect")
    capture = cv2.VideoCapture(str(video))
    tracks, frame_index = defaultdict(list), -1
    while (read := capture.read())[0]:
        frame_index, frame = frame_index + 1, read[1]
        result = model.track(
            frame, persist=True, tracker="bytetrack.yaml", classes=[1, 3], imgsz=640, verbose=False
        )[0]
        if result.boxes.id is not None:
            boxes, ids = result.boxes.xyxy.tolist(), result.boxes.id.tolist()
            for xyxy, track_id in zip(boxes, ids, strict=True):
                tracks[int(track_id)].append((frame_index, tuple(xyxy), crop_of(frame, xyxy)))
    return tracks


def crops_of_event(event: dict, tracks: dict, fps: float) -> list[np.ndarray]:
    """Crops during the event of the track that starts where it does (within 0.6 s and 50 px)."""
    best: list[np.ndarray] = []
    for points in tracks.values():
        near_start = any(
            abs(i / fps - event["t"]) <= 0.6
            and np.hypot((x1 + x2) / 2 - event["x"], y2 - event["y"]) < 50
            for i, (x1, _, x2, y2), _ in points
        )
        during = [crop for i, _, crop in points if event["t"] <= i / fps <= event["t_end"]]
        if near_start and len(during) > len(best):
            best = during
    return best


@pytest.mark.slow
@pytest.mark.skipif(not REVERSED_CLIP.is_file(), reason="needs ../shared (clips and model)")
def test_orange_couriers_of_the_thai_clip_are_found_and_other_riders_are_not(thailand):
    fps = 25.0
    tracks = track_two_wheelers(REVERSED_CLIP)
    events = [e for e in json.loads(REVERSED_TRUTH.read_text())["events"] if "courier" in e]
    outcomes = []
    for event in events:
        crops = crops_of_event(event, tracks, fps)
        if len(crops) >= 3:  # a rider the tracker followed through its event
            outcomes.append(
                (event["courier"], attribute(thailand, crops[:: max(1, len(crops) // 8)]))
            )
    matched_couriers = [result for is_courier, result in outcomes if is_courier]
    others = [result for is_courier, result in outcomes if not is_courier]
    assert len(matched_couriers) >= 2 and len(others) >= 10
    assert [r for r in others if r.is_courier] == []  # no false courier
    assert sum(r.platform == "shopeefood" for r in matched_couriers) >= 2
    accuracy = sum(is_courier == r.is_courier for is_courier, r in outcomes) / len(outcomes)
    assert accuracy >= 0.9
