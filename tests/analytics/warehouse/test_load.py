from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from analytics.warehouse import connect, load_clip
from analytics.warehouse import load as load_module
from detectors.config.errors import InputError

RED = {"rule": "pedestrian_red_light", "signal_state": "red"}


def current_events(root: Path) -> list[tuple]:
    return connect(root).sql("select event_id, rule from fct_violations order by 1").fetchall()


def test_load_makes_events_queryable_with_their_evidence(tmp_path, make_clip_outputs):
    outputs = make_clip_outputs(events=[{**RED, "t_s": 3.0}, {"rule": "wrong_way", "t_s": 8.5}])
    result = load_clip(tmp_path / "wh", outputs)

    rows = (
        connect(tmp_path / "wh")
        .sql(
            "select rule, occurred_at::varchar, district, review_status, evidence_path "
            "from fct_violations order by t_s"
        )
        .fetchall()
    )
    assert [row[:4] for row in rows] == [
        ("pedestrian_red_light", "2026-11-16 00:00:03+00", "朝阳区", "pending"),
        ("wrong_way", "2026-11-16 00:00:08.5+00", "朝阳区", "pending"),
    ]
    assert all((tmp_path / "wh" / row[4] / "event.json").is_file() for row in rows)
    assert (result.week, result.count_events) == ("2026-W47", 2)


def test_loading_a_clip_again_replaces_its_rows(tmp_path, make_clip_outputs):
    root = tmp_path / "wh"
    first = make_clip_outputs("v1", events=[{**RED, "t_s": 1.0}, {**RED, "t_s": 5.0}])
    load_clip(root, first)
    load_clip(root, first)
    assert len(current_events(root)) == 2

    reprocessed = make_clip_outputs("v2", events=[{"rule": "wrong_way", "t_s": 2.0}])
    load_clip(root, reprocessed)
    assert [rule for _, rule in current_events(root)] == ["wrong_way"]


def test_a_load_killed_half_way_leaves_the_warehouse_as_it_was(
    tmp_path, make_clip_outputs, monkeypatch
):
    root = tmp_path / "wh"
    load_clip(root, make_clip_outputs("v1", events=[{**RED, "t_s": 1.0}]))
    before = current_events(root)
    written = []

    def dies_on_third_table(table, path, **kwargs):
        written.append(path)
        if len(written) == 3:
            raise KeyboardInterrupt
        pq.write_table(table, path, **kwargs)

    monkeypatch.setattr(load_module.pq, "write_table", dies_on_third_table)
    with pytest.raises(KeyboardInterrupt):
        load_clip(root, make_clip_outputs("v2", events=[{"rule": "wrong_way", "t_s": 2.0}]))

    assert current_events(root) == before
    loads = list((root / "clips").glob("week=*/clip=*/*"))
    assert [p.name.startswith("load=") for p in loads] == [True]


def test_the_next_load_of_a_clip_removes_what_a_killed_load_left(tmp_path, make_clip_outputs):
    root = tmp_path / "wh"
    outputs = make_clip_outputs("v1", events=[{**RED, "t_s": 1.0}])
    load_clip(root, outputs)
    clip_folder = next((root / "clips").glob("week=*/clip=*"))
    # What a SIGKILL half-way through a load leaves: hidden half-built folders.
    (clip_folder / ".load=20261201T000000000000Z-dead00.partial-x1").mkdir()
    dead_evidence = root / "evidence" / clip_folder.name / ".load=20261201T000000000000Z.partial-x2"
    dead_evidence.mkdir()
    other_clip = root / "evidence" / "clip=other" / ".load=20261201T000000000000Z.partial-x3"
    other_clip.mkdir(parents=True)

    load_clip(root, outputs)

    assert [p.name.startswith("load=") for p in clip_folder.iterdir()] == [True, True]
    assert not dead_evidence.exists()
    assert other_clip.exists()  # another clip's load may be running


def test_exposures_count_pedestrians_crossing_and_two_wheelers_passing(tmp_path, make_clip_outputs):
    crossing = {"zone_kind": "crosswalk", "road_user": "pedestrian"}
    passing = {"zone_kind": "lane", "road_user": "two_wheeler", "zone_id": "nb"}
    outputs = make_clip_outputs(
        passages=[
            {**crossing, "entered_s": 10.0},
            {**crossing, "entered_s": 20.0},
            {**crossing, "entered_s": 3700.0},  # the next hour
            {"zone_kind": "crosswalk", "road_user": "rider", "entered_s": 30.0},
            {**passing, "entered_s": 5.0, "courier_platform": "meituan"},
            {**passing, "entered_s": 6.0, "courier_platform": "meituan"},
            {**passing, "entered_s": 7.0},
        ]
    )
    load_clip(tmp_path / "wh", outputs)

    rows = (
        connect(tmp_path / "wh")
        .sql(
            "select rule, zone_id, courier_platform, hour(hour_at), count_exposures "
            "from fct_exposures order by all"
        )
        .fetchall()
    )
    assert rows == [
        ("pedestrian_red_light", "south", None, 0, 2),
        ("pedestrian_red_light", "south", None, 1, 1),
        ("wrong_way", "nb", "meituan", 0, 2),
        ("wrong_way", "nb", None, 0, 1),
    ]


def test_a_clip_of_unknown_start_is_filed_under_unknown(tmp_path, make_clip_outputs):
    result = load_clip(tmp_path / "wh", make_clip_outputs(started_at=None))
    assert result.week == "unknown"
    assert result.folder.parent.parent.name == "week=unknown"


def test_an_incomplete_output_folder_is_refused_by_name(tmp_path, make_clip_outputs):
    outputs = make_clip_outputs()
    (outputs / "zone_passages.parquet").unlink()
    with pytest.raises(InputError, match="zone_passages.parquet is missing"):
        load_clip(tmp_path / "wh", outputs)
    assert not (tmp_path / "wh" / "clips").exists()


def test_a_folder_mixing_two_clips_is_refused(tmp_path, make_clip_outputs):
    outputs = make_clip_outputs(clip_id="aaaa000000000001", events=[{**RED, "t_s": 1.0}])
    other = make_clip_outputs("other", clip_id="bbbb000000000002", events=[{**RED, "t_s": 2.0}])
    (other / "events.parquet").replace(outputs / "events.parquet")
    with pytest.raises(InputError, match="mixes two clips"):
        load_clip(tmp_path / "wh", outputs)


@pytest.mark.parametrize(
    ("view_columns", "covered_s"),
    [
        ({}, 60.0),  # the view never changed
        # changed at 10 s, back at 25 s, changed again at 50 s for the rest: 15 + 10 s lost
        ({"view_changed_s": 10.0, "count_view_changes": 2, "view_changed_duration_s": 25.0}, 35.0),
        ({"view_changed_s": 40.0}, 40.0),  # outputs from before returns: changed to the end
    ],
)
def test_covered_time_leaves_out_the_stretches_the_view_was_elsewhere(
    tmp_path, make_clip_outputs, view_columns, covered_s
):
    outputs = make_clip_outputs()
    clip = pq.read_table(outputs / "clip.parquet")
    if "count_view_changes" not in view_columns:  # an engine that did not write the columns
        clip = clip.drop(["count_view_changes", "view_changed_duration_s"])
    for column, value in view_columns.items():
        index = clip.column_names.index(column)
        clip = clip.set_column(index, column, pa.array([value], clip.schema.field(column).type))
    pq.write_table(clip, outputs / "clip.parquet")
    load_clip(tmp_path / "wh", outputs)

    row = connect(tmp_path / "wh").sql("select covered_s, is_view_changed from fct_clips")
    assert row.fetchall() == [(covered_s, bool(view_columns))]
