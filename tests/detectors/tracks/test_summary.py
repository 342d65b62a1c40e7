"""Zone passages, the exposure: lane passages carry the rider's courier, crosswalks never do.

Lane ``nb`` (x 40-180, y 20-470) is legal up the image; crosswalk ``south`` (x 200-440,
y 300-360) is governed by ``ped_south``. 10 observations per second.
"""

from __future__ import annotations

import pytest

from detectors.events.pedestrian_red_light import PedestrianRedLight
from detectors.events.violation import CourierAttribution
from detectors.events.wrong_way import WrongWay
from detectors.tracks.summary import passages

MEITUAN = CourierAttribution("meituan", 0.8)


@pytest.fixture
def rules(make_camera) -> tuple[PedestrianRedLight, WrongWay]:
    camera = make_camera()
    return PedestrianRedLight(camera), WrongWay(camera)


def test_a_lane_passage_carries_the_courier_of_its_rider(rules, make_track, line):
    # Up lane nb from y 460 to 100 in 2 s: inside all along, 360 px with the direction.
    track = make_track(line((110, 460), (110, 100), 21), "motorcycle", height=50.0)

    [passage] = passages(track, *rules, courier=MEITUAN)

    assert (passage.zone_kind, passage.zone_id, passage.courier) == ("lane", "nb", MEITUAN)
    assert (passage.entered_s, passage.left_s, passage.along_direction_px) == (0.0, 2.0, 360.0)


def test_a_glimpse_of_a_lane_is_no_passage(rules, make_track, line):
    track = make_track(line((110, 460), (110, 400), 5), "motorcycle", height=50.0)  # 0.4 s

    assert passages(track, *rules, courier=MEITUAN) == []


def test_a_crosswalk_passage_has_no_courier(rules, make_track, line):
    # A walker crossing south from left to right: outside for 1 s, then on the crossing.
    track = make_track(line((143, 330), (503, 330), 61), signals={"ped_south": "green"})

    [passage] = passages(track, *rules, courier=MEITUAN)

    assert (passage.zone_kind, passage.zone_id, passage.courier) == ("crosswalk", "south", None)


def test_without_an_attribution_a_lane_passage_stays_unattributed(rules, make_track, line):
    track = make_track(line((110, 460), (110, 100), 21), "motorcycle", height=50.0)

    assert [p.courier for p in passages(track, *rules)] == [None]
