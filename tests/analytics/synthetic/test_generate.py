"""Writing a synthetic warehouse: compacted UTC weeks, reproducible, readable by the marts."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pyarrow.parquet as pq

from analytics.synthetic.generate import SyntheticSpec, local_slots, write_synthetic_warehouse
from analytics.warehouse import connect

SPEC = SyntheticSpec(
    count_cameras=3, count_weeks=2, first_monday=date(2026, 11, 9), clip_hours=(7, 20)
)


def test_local_slots_are_utc_starts_of_local_hours():
    slots = local_slots(SPEC)
    # Monday 2026-11-09 07:00 in Shanghai is Sunday 2026-11-08 23:00 UTC.
    assert slots.started_us[0] == datetime(2026, 11, 8, 23, tzinfo=UTC).timestamp() * 1_000_000
    assert len(slots.started_us) == 2 * 7 * 2
    assert [monday.isoformat() for monday in slots.utc_mondays()] == [
        "2026-11-02",
        "2026-11-09",
        "2026-11-16",
    ]


def test_the_warehouse_holds_one_generation_per_utc_week(tmp_path):
    summary = write_synthetic_warehouse(tmp_path, SPEC)
    # The first 07:00 clip (Sunday 23:00 UTC) falls in the UTC week before the local one.
    assert summary.weeks == ["2026-W45", "2026-W46", "2026-W47"]
    generations = sorted(tmp_path.glob("compacted/week=*/gen=*"))
    assert [folder.parent.name for folder in generations] == [f"week={w}" for w in summary.weeks]
    con = connect(tmp_path)
    assert con.execute("select count(*) from fct_clips").fetchone()[0] == summary.count_clips
    assert con.execute(
        "select count(*), count(distinct event_id) from fct_violations"
    ).fetchone() == (summary.count_events, summary.count_events)
    assert con.execute("select distinct engine_version from fct_clips").fetchall() == [
        ("synthetic",)
    ]


def test_the_same_spec_writes_the_same_rows(tmp_path):
    write_synthetic_warehouse(tmp_path / "a", SPEC)
    write_synthetic_warehouse(tmp_path / "b", SPEC)
    first, second = (
        pq.read_table(next((tmp_path / name).glob("compacted/week=2026-W46/gen=*/events.parquet")))
        for name in ("a", "b")
    )
    assert first.equals(second)


def test_violations_stay_within_their_exposures(tmp_path):
    write_synthetic_warehouse(tmp_path, SPEC)
    con = connect(tmp_path)
    over = con.execute(
        """
        with violations as (
            select clip_id, rule, zone_id, coalesce(courier_platform, '') as platform,
                count(*) as count_violations
            from fct_violations group by all
        ),
        exposures as (
            select clip_id, rule, zone_id, coalesce(courier_platform, '') as platform,
                sum(count_exposures) as count_exposures
            from fct_exposures group by all
        )
        select count(*) from violations left join exposures using (clip_id, rule, zone_id, platform)
        where count_violations > coalesce(count_exposures, 0)
        """
    ).fetchone()[0]
    assert over == 0
