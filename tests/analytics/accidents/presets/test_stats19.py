"""The stats19 preset on a made-up STATS19 collision file (presets/conftest.py)."""

import csv
from collections import Counter
from datetime import date, datetime

from analytics.accidents.importer import import_accidents
from analytics.warehouse import connect

PRESET = "stats19"


def month(row: dict[str, str]) -> str:
    return f"{datetime.strptime(row['date'], '%d/%m/%Y'):%Y-%m}"


def test_with_the_preset_alone_months_and_severities_match_a_count_by_hand(
    tmp_path, layouts, write_rows
):
    rows = layouts.stats19(date(2023, 1, 1), date(2024, 3, 31))
    # 00:30 on 1 April in London (BST) is still 31 March in UTC: it is April's.
    rows[-1] |= {"date": "01/04/2024", "time": "00:30", "collision_severity": "1"}
    path = write_rows(
        "dft-road-casualty-statistics-collision-2024.csv", layouts.stats19_header, rows
    )
    report = import_accidents(tmp_path / "wh", path, preset=PRESET)

    with path.open(encoding="utf-8", newline="") as handle:
        by_hand = list(csv.DictReader(handle))
    assert (report.count_accepted, report.count_rejected) == (len(by_hand), 0)
    con = connect(tmp_path / "wh")
    for segment, code in (("all", None), ("fatal", "1"), ("serious_injury", "2")):
        counted = Counter(month(r) for r in by_hand if code in (None, r["collision_severity"]))
        figures = con.execute(
            "select month, count_accidents from accident_trends_monthly where segment = ?",
            [segment],
        ).fetchall()
        assert {m: count for m, count in figures if count} == counted
    no_point = sum(not row["latitude"] for row in by_hand)
    located = con.execute(
        "select count(*) filter (location_kind = 'coordinates'), "
        "count(*) filter (latitude is null), count(distinct beat), "
        "count(*) filter (count_deaths is null) from stg_accident_records"
    ).fetchone()
    assert located == (len(by_hand) - no_point, no_point, 1, len(by_hand))
