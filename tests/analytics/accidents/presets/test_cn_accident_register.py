"""The cn-accident-register preset on a made-up Chinese police register (presets/conftest.py)."""

import csv
from collections import Counter
from datetime import date, datetime

from analytics.accidents.importer import import_accidents
from analytics.warehouse import connect

PRESET = "cn-accident-register"


def month(row: dict[str, str]) -> str:
    return f"{datetime.fromisoformat(row['事故发生时间']):%Y-%m}"


def test_a_gbk_register_imports_with_the_preset_alone(tmp_path, layouts, write_rows):
    rows = layouts.register(date(2025, 1, 1), date(2026, 2, 28))
    path = write_rows(
        "事故台账.csv", layouts.register_header, rows, encoding="gbk", line_end="\r\n"
    )
    report = import_accidents(tmp_path / "wh", path, preset=PRESET)

    with path.open(encoding="gbk", newline="") as handle:
        by_hand = list(csv.DictReader(handle))
    assert (report.encoding, report.count_accepted, report.count_rejected) == (
        "gbk",
        len(by_hand),
        0,
    )
    con = connect(tmp_path / "wh")
    for segment, counts in (
        ("all", lambda row: True),
        ("pedestrian", lambda row: "步行" in row["当事人交通方式"]),
        ("fatal", lambda row: row["事故类型"] == "死亡事故"),
        ("non_motor_vehicle", lambda row: "自行车" in row["当事人交通方式"]),
    ):
        figures = con.execute(
            "select month, count_accidents from accident_trends_monthly where segment = ?",
            [segment],
        ).fetchall()
        assert {m: n for m, n in figures if n} == Counter(month(r) for r in by_hand if counts(r))
    places = con.execute(
        "select count(*) filter (location_kind = 'intersection'), "
        "count(*) filter (location_text like '%附近'), count(*) filter (latitude is not null) "
        "from stg_accident_records"
    ).fetchone()
    assert places == (
        sum(bool(row["路口名称"]) for row in by_hand),
        sum(not row["路口名称"] for row in by_hand),
        sum(row["经度"] != "0" for row in by_hand),
    )
    unknown = next(w for w in report.warnings if "驾驶三轮汽车" in w.reason)
    assert unknown.count == sum("驾驶三轮汽车" in row["当事人交通方式"] for row in by_hand)
