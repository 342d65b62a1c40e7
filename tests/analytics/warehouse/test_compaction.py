from datetime import UTC, datetime, timedelta

from analytics.warehouse import compact_week, connect, load_clip, vacuum
from analytics.warehouse.compaction import week_lock_path
from analytics.warehouse.load import clip_lock_path
from detectors.atomic import file_lock

EVENTS_SQL = "select event_id, rule, occurred_at, evidence_path from fct_violations order by 1"


def loaded(root, make_clip_outputs, names=("a", "b")):
    for index, name in enumerate(names):
        outputs = make_clip_outputs(
            name,
            clip_id=name * 16,
            events=[{"rule": "wrong_way", "t_s": 1.0 + index}],
            passages=[{"zone_kind": "lane", "road_user": "two_wheeler", "entered_s": 1.0}],
        )
        load_clip(root, outputs)
        load_clip(root, outputs)  # a re-run: two loads of the clip


def test_compaction_changes_no_figure(tmp_path, make_clip_outputs):
    root = tmp_path / "wh"
    loaded(root, make_clip_outputs)
    before = connect(root).sql(EVENTS_SQL).fetchall()
    generation = compact_week(root, "2026-W47")

    con = connect(root)
    assert con.sql(EVENTS_SQL).fetchall() == before
    assert con.sql("select sum(count_exposures) from fct_exposures").fetchall() == [(2,)]
    assert con.sql("select distinct generation from int_current_loads").fetchall() == [
        (generation.name.removeprefix("gen="),)
    ]


def test_a_load_after_compaction_wins(tmp_path, make_clip_outputs):
    root = tmp_path / "wh"
    loaded(root, make_clip_outputs)
    compact_week(root, "2026-W47")
    load_clip(root, make_clip_outputs("a2", clip_id="a" * 16, events=[]))

    rules = connect(root).sql("select clip_id from fct_violations").fetchall()
    assert rules == [("b" * 16,)]


def test_vacuum_waits_out_the_grace_period_then_changes_no_figure(tmp_path, make_clip_outputs):
    root = tmp_path / "wh"
    loaded(root, make_clip_outputs)
    compact_week(root, "2026-W47")
    before = connect(root).sql(EVENTS_SQL).fetchall()

    early = vacuum(root, grace=timedelta(hours=1))
    assert (early.removed, early.kept_for_grace) == ([], 6)  # 4 loads, 2 old evidence folders

    later = vacuum(root, grace=timedelta(hours=1), now=datetime.now(UTC) + timedelta(hours=2))
    assert len(later.removed) == 6
    assert list((root / "clips").glob("week=*/clip=*")) == []
    assert connect(root).sql(EVENTS_SQL).fetchall() == before
    assert all((root / path).is_dir() for *_, path in before)


def test_compacting_an_empty_week_does_nothing(tmp_path):
    (tmp_path / "wh").mkdir()
    assert compact_week(tmp_path / "wh", "2026-W01") is None


def test_vacuum_removes_half_built_folders_nobody_is_building(tmp_path, make_clip_outputs):
    root = tmp_path / "wh"
    loaded(root, make_clip_outputs)
    dead = [
        root / "clips" / "week=2026-W47" / f"clip={'a' * 16}" / ".load=1.partial-x",
        root / "evidence" / f"clip={'a' * 16}" / ".load=1.partial-y",
        root / "compacted" / "week=2026-W47" / ".gen=1.partial-z",
    ]
    building = root / "evidence" / f"clip={'b' * 16}" / ".load=2.partial-w"
    for folder in [*dead, building]:
        folder.mkdir(parents=True)

    with file_lock(clip_lock_path(root, "b" * 16)):  # b's load is running
        report = vacuum(root, grace=timedelta(hours=1))

    assert sorted(report.removed) == sorted(dead)
    assert building.exists()


def test_vacuum_leaves_a_compaction_in_progress_alone(tmp_path, make_clip_outputs):
    root = tmp_path / "wh"
    loaded(root, make_clip_outputs)
    building = root / "compacted" / "week=2026-W47" / ".gen=1.partial-z"
    building.mkdir(parents=True)

    with file_lock(week_lock_path(root, "2026-W47")):
        vacuum(root, grace=timedelta(hours=1))

    assert building.exists()
