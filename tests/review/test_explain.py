import json

import pytest

from review.explain import arrow, explain, parse_details


def red_light(**details):
    return {
        "rule": "pedestrian_red_light",
        "zone_id": "south",
        "signal_id": "ped_south",
        "class_name": "person",
        "details_json": json.dumps(details),
    }


def wrong_way(**details):
    return {
        "rule": "wrong_way",
        "zone_id": "nb",
        "signal_id": None,
        "class_name": "motorcycle",
        "details_json": json.dumps(details),
    }


def test_a_red_light_crossing_is_explained_from_its_numbers():
    event = red_light(
        why="feet entered", outside_before_s=0.84, inside_after_s=1.2, speed_heights_per_s=1.04
    )
    names = {"zone": "幸福路西侧人行横道", "signal": "北侧行人灯"}
    assert explain(event, names) == [
        "行人双脚从人行横道「幸福路西侧人行横道」外进入时，信号灯「北侧行人灯」为红灯。",
        "进入前在人行横道外停留 0.8 秒，进入后在人行横道内持续 1.2 秒："
        "确实是走进去的，不是脚部在路缘线上的抖动。",
        "移动速度约为每秒 1.04 个身高（步行约为 1，跑步约为 2）。",
    ]


def test_a_wrong_way_ride_is_explained_with_the_lane_direction_and_merged_tracks():
    event = wrong_way(
        against_px=151.4,
        against_s=2.04,
        straightness=0.87,
        lane_direction=[0.0, -1.0],
        merged_track_ids=[12, 19],
    )
    assert explain(event, {"zone": "幸福路北向非机动车道"}) == [
        "电动车/摩托车在车道「幸福路北向非机动车道」内逆向行驶 151 像素，历时 2.0 秒。",
        "行驶路程中 87% 与车道规定方向相反（不是原地晃动或避让）。",
        "车道规定方向：↑ 向上（画面方向）。",
        "跟踪编号中途切换，已合并编号 12、19 的轨迹。",
    ]


def test_without_display_names_no_raw_id_is_shown():
    lines = explain(red_light(outside_before_s=1.0, inside_after_s=1.0))
    assert lines[0] == "行人双脚从人行横道外进入时，所属信号灯为红灯。"
    assert not any("south" in line for line in lines)


def test_missing_or_malformed_numbers_are_left_out_and_unknown_ones_listed():
    event = wrong_way(against_px="far", against_s=2.0, lane_direction=[1], new_measure=3)
    assert explain(event) == ["new_measure：3"]


@pytest.mark.parametrize("details_json", [None, "", "not json", "[1, 2]"])
def test_no_readable_details_says_so(details_json):
    event = {**red_light(), "details_json": details_json}
    assert parse_details(details_json) is None
    assert explain(event) == ["（规则未留下可读的判定数据。）"]


@pytest.mark.parametrize(
    ("direction", "expected"),
    [([1, 0], "→ 向右"), ([0, 1], "↓ 向下"), ([-1, -1], "↖ 向左上"), ([0.2, -1], "↑ 向上")],
)
def test_image_directions_become_arrows(direction, expected):
    assert arrow(direction) == expected
