"""The nyc-crashes preset on made-up exports in the NYC Open Data "Motor Vehicle Collisions -
Crashes" layout (presets/conftest.py), every figure checked against a count made by hand with the
csv module over the same file."""

import csv
from collections import Counter
from datetime import date, datetime

import pytest
import yaml

from analytics.accidents.importer import import_accidents
from analytics.warehouse import connect
from detectors.config.errors import InputError

FIRST, LAST = date(2019, 1, 1), date(2020, 6, 30)
PRESET = "nyc-crashes"


def cases_by_hand(*paths, encoding="utf-8") -> dict[str, dict[str, str]]:
    """COLLISION_ID -> its row, the later file's version of a case winning."""
    cases = {}
    for path in paths:
        with path.open(encoding=encoding, newline="") as handle:
            cases |= {row["COLLISION_ID"]: row for row in csv.DictReader(handle)}
    return cases


def crash_day(row: dict[str, str]) -> date:
    text = row["CRASH DATE"]
    return datetime.strptime(text, "%Y-%m-%d" if "-" in text else "%m/%d/%Y").date()


def months_by_hand(cases: dict[str, dict[str, str]], only=lambda row: True) -> dict[str, int]:
    return dict(Counter(f"{crash_day(row):%Y-%m}" for row in cases.values() if only(row)))


def yoy_by_hand(months: dict[str, int]) -> dict[str, float]:
    changes = {}
    for month, count in months.items():
        last_year = months.get(f"{int(month[:4]) - 1}{month[4:]}")
        if last_year:
            changes[month] = 100.0 * (count - last_year) / last_year
    return changes


def number(row: dict[str, str], *columns: str) -> int:
    return sum(int(row[column] or 0) for column in columns)


def monthly(root, segment: str = "all") -> dict[str, tuple[int, float | None]]:
    rows = connect(root).execute(
        "select month, count_accidents, change_yoy_pct from accident_trends_monthly "
        "where segment = ? order by month",
        [segment],
    )
    return {month: (count, yoy) for month, count, yoy in rows.fetchall()}


@pytest.fixture
def rows(layouts):
    return layouts.nyc(FIRST, LAST)


@pytest.fixture
def export(rows, layouts, write_rows):
    return write_rows("Motor_Vehicle_Collisions_-_Crashes.csv", layouts.nyc_header, rows)


def test_with_the_preset_alone_every_month_and_yoy_matches_a_count_by_hand(tmp_path, export):
    report = import_accidents(tmp_path / "wh", export, preset=PRESET)

    cases = cases_by_hand(export)
    assert (report.count_read, report.count_rejected, report.source_name) == (
        len(cases),
        0,
        PRESET,
    )
    months = months_by_hand(cases)
    figures = monthly(tmp_path / "wh")
    assert {month: count for month, (count, _) in figures.items()} == months
    yoy = {month: change for month, (_, change) in figures.items() if change is not None}
    assert yoy == pytest.approx(yoy_by_hand(months)) and len(yoy) == 6
    weeks = Counter(f"{crash_day(row):%G-W%V}" for row in cases.values())
    weekly = connect(tmp_path / "wh").execute(
        "select week, count_accidents from accident_trends_weekly where segment = 'all'"
    )
    assert {week: count for week, count in weekly.fetchall() if count} == weeks


def test_no_severity_column_yet_deaths_give_the_fatal_segment(tmp_path, export):
    import_accidents(tmp_path / "wh", export, preset=PRESET)

    cases = cases_by_hand(export)
    fatal = months_by_hand(cases, lambda row: number(row, "NUMBER OF PERSONS KILLED") > 0)
    figures = {m: count for m, (count, _) in monthly(tmp_path / "wh", "fatal").items() if count}
    assert figures == fatal and sum(fatal.values()) > 0
    # Pedestrians injured or killed: both count columns, not one of them.
    walking = months_by_hand(
        cases,
        lambda row: number(row, "NUMBER OF PEDESTRIANS INJURED", "NUMBER OF PEDESTRIANS KILLED"),
    )
    figures = {m: c for m, (c, _) in monthly(tmp_path / "wh", "pedestrian").items() if c}
    assert figures == walking


def edited_re_export(rows: list[dict]) -> list[dict]:
    """213 rows of the export from 1 April 2020 on, re-exported with 5 cases corrected."""
    start = next(n for n, row in enumerate(rows) if row["CRASH DATE"] == "04/01/2020")
    again = [dict(row) for row in rows[start : start + 213]]
    again[0]["NUMBER OF PERSONS INJURED"] = str(number(again[0], "NUMBER OF PERSONS INJURED") + 1)
    again[10]["CRASH DATE"] = "05/01/2020"  # the case moves to May
    again[20]["BOROUGH"] = "BROOKLYN"
    again[30] |= {"NUMBER OF PERSONS KILLED": "1", "NUMBER OF PEDESTRIANS KILLED": "1"}
    again[40]["ZIP CODE"] = "11215"
    return again


def test_an_edited_re_export_corrects_cases_and_counts_never_double(
    tmp_path, rows, export, layouts, write_rows
):
    again = write_rows("crashes-april-reexport.csv", layouts.nyc_header, edited_re_export(rows))
    import_accidents(tmp_path / "wh", export, preset=PRESET)
    report = import_accidents(tmp_path / "wh", again, preset=PRESET)

    assert (report.count_read, report.count_already_present, report.count_corrected) == (
        213,
        213,
        5,
    )
    months = months_by_hand(cases_by_hand(export, again))
    figures = {month: count for month, (count, _) in monthly(tmp_path / "wh").items()}
    assert figures == months
    assert sum(figures.values()) == len(rows)  # as many cases as the first export had
    con = connect(tmp_path / "wh")
    audit = con.execute(
        "select count(*), count(*) filter (is_current), count(*) filter (is_changed) "
        "from accident_record_versions"
    ).fetchone()
    assert audit == (len(rows) + 213, len(rows), 5)

    # Read without the case key (as before case keys), each correction counts once more.
    mapping = tmp_path / "no-key.yaml"
    mapping.write_text(yaml.safe_dump({"preset": PRESET, "case_key": []}), encoding="utf-8")
    import_accidents(tmp_path / "old", export, mapping)
    import_accidents(tmp_path / "old", again, mapping)
    doubled = {month: count for month, (count, _) in monthly(tmp_path / "old").items()}
    assert doubled["2020-04"] == months["2020-04"] + 5


def test_an_excel_resave_with_iso_dates_crlf_and_cp1252_imports_with_the_preset_alone(
    tmp_path, rows, export, layouts, write_rows
):
    resaved_rows = layouts.excel_resaved(rows)
    resaved_rows[5] |= {
        "ON STREET NAME": "",
        "CROSS STREET NAME": "",
        "OFF STREET NAME": "12 CAFÉ PLAZA",
    }
    resaved = write_rows(
        "crashes-excel.csv", layouts.nyc_header, resaved_rows, encoding="cp1252", line_end="\r\n"
    )
    report = import_accidents(tmp_path / "wh", resaved, preset=PRESET)

    assert (report.encoding, report.count_rejected) == ("cp1252", 0)
    months = months_by_hand(cases_by_hand(resaved, encoding="cp1252"))
    assert {m: count for m, (count, _) in monthly(tmp_path / "wh").items()} == months
    stored = connect(tmp_path / "wh").execute(
        "select count(*) from stg_accident_records where location_text = '12 CAFÉ PLAZA'"
    )
    assert stored.fetchone() == (1,)
    again = import_accidents(tmp_path / "wh", export, preset=PRESET)
    assert again.count_already_present == len(rows)
    assert {m: count for m, (count, _) in monthly(tmp_path / "wh").items()} == months


def test_messy_cells_are_kept_and_flagged_not_rejected(tmp_path, rows, export):
    report = import_accidents(tmp_path / "wh", export, preset=PRESET)

    by_hand = {
        "(0, 0)": sum(row["LATITUDE"] == "0.0" for row in rows),
        "00:00": sum(row["CRASH TIME"] == "0:00" for row in rows),
        "FDNY TRUCK": sum("FDNY TRUCK" in row.values() for row in rows),
    }
    warned = {key: next(r.count for r in report.warnings if key in r.reason) for key in by_hand}
    assert warned == by_hand and all(by_hand.values())
    con = connect(tmp_path / "wh")
    flagged = con.execute(
        "select sum(count_placeholder_time_accidents) from accident_trends_monthly "
        "where segment = 'all'"
    ).fetchone()
    assert flagged == (by_hand["00:00"],)
    blank_boroughs = con.execute(
        "select count(*) filter (district is null), count(*) filter (latitude = 0), "
        "count(*) filter (location_kind = 'intersection') from stg_accident_records"
    ).fetchone()
    assert blank_boroughs == (
        sum(not row["BOROUGH"] for row in rows),
        0,
        sum(bool(row["CROSS STREET NAME"]) for row in rows),
    )


def test_a_header_only_file_is_refused_and_nothing_written(tmp_path, layouts, write_rows):
    empty = write_rows("crashes-empty.csv", layouts.nyc_header, [])
    with pytest.raises(InputError, match="no rows below the header; nothing was imported"):
        import_accidents(tmp_path / "wh", empty, preset=PRESET)
    assert not (tmp_path / "wh").exists()


def test_an_export_of_which_no_row_imports_is_refused_with_its_reasons(
    tmp_path, rows, layouts, write_rows
):
    dotted = [row | {"CRASH DATE": crash_day(row).strftime("%d.%m.%Y")} for row in rows[:20]]
    path = write_rows("crashes-dotted.csv", layouts.nyc_header, dotted)
    with pytest.raises(InputError) as caught:
        import_accidents(tmp_path / "wh", path, preset=PRESET)
    message = str(caught.value)
    assert "none of its 20 rows could be imported, so nothing was written" in message
    assert "CRASH DATE + CRASH TIME fits none of the formats" in message
    assert "(20 rows, e.g. line 2, 3, 4)" in message
    assert not (tmp_path / "wh").exists()


def test_more_rejected_rows_than_the_preset_allows_are_flagged(tmp_path, rows, layouts, write_rows):
    damaged = [
        row | {"CRASH DATE": "unknown"} if n % 10 == 0 else row for n, row in enumerate(rows)
    ]
    path = write_rows("crashes-damaged.csv", layouts.nyc_header, damaged)
    report = import_accidents(tmp_path / "wh", path, preset=PRESET)
    assert report.is_rejected_share_exceeded and report.max_rejected_share == 0.05
    assert report.count_rejected == len(range(0, len(rows), 10))
    assert report.rejection_reasons[0].example_lines == [2, 12, 22]
    assert report.records_path.is_file()  # the good rows are in


def test_an_undecodable_byte_in_a_column_not_read_keeps_the_row(
    tmp_path, rows, layouts, write_rows
):
    path = write_rows("crashes.csv", layouts.nyc_header, rows[:10])
    data = path.read_bytes().replace(b"Unspecified", b"Unspecified\x81", 1)
    path.write_bytes(data)
    report = import_accidents(tmp_path / "wh", path, preset=PRESET)
    assert (report.encoding, report.count_accepted, report.count_rejected) == ("utf-8", 10, 0)
