from collections import Counter
from datetime import date

import pyarrow.parquet as pq
import pytest

from analytics.accidents.importer import import_accidents
from analytics.accidents.synthetic import DEFAULT_SITES, write_synthetic_export


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    """The default synthetic export (2025-W01 .. 2026-W48), imported once for these tests."""
    folder = tmp_path_factory.mktemp("synthetic")
    export = write_synthetic_export(folder / "export")
    report = import_accidents(folder / "wh", export.csv_path, export.mapping_path)
    return export, report, pq.read_table(report.records_path).to_pylist()


def test_it_is_marked_synthetic_everywhere(imported):
    export, _, rows = imported
    assert "synthetic" in export.csv_path.name
    assert (
        export.csv_path.read_bytes()
        .decode("gbk", "replace")
        .startswith("道路交通事故明细表（合成数据")
    )
    assert all(row["is_synthetic"] for row in rows)


def test_exactly_the_malformed_rows_are_rejected(imported):
    export, report, rows = imported
    assert export.count_malformed == 7
    assert (report.count_read, report.count_rejected) == (export.count_rows, 7)
    assert report.count_accepted == len(rows) > 1000
    reasons = " | ".join(row.reason for row in report.rejected)
    for kind in ("不详", "待定", "-1", "地点 is empty", "12 fields", "2 fields", "not valid gbk"):
        assert kind in reasons


def test_it_covers_two_years_of_whole_weeks_at_the_given_sites(imported):
    _, _, rows = imported
    days = [row["occurred_at"].date() for row in rows]
    assert date(2024, 12, 29) <= min(days) and max(days) <= date(2026, 11, 29)
    assert {row["intersection_id"] for row in rows} - {None} == {site for site, _ in DEFAULT_SITES}
    assert {row["district"] for row in rows} == {district for _, district in DEFAULT_SITES}


def test_courier_accidents_fall_after_the_campaign(imported):
    _, _, rows = imported
    # Same calendar months, so that the season is alike: June-November 2025 against 2026.
    couriers = Counter(
        row["occurred_at"].year
        for row in rows
        if row["is_courier_involved"] and 6 <= row["occurred_at"].month <= 11
    )
    others = Counter(
        row["occurred_at"].year
        for row in rows
        if not row["is_courier_involved"] and 6 <= row["occurred_at"].month <= 11
    )
    assert couriers[2026] < 0.6 * couriers[2025]
    assert 0.8 * others[2025] < others[2026] < 1.2 * others[2025]


def test_same_seed_same_file_and_other_sites_and_encoding(tmp_path):
    sites = [("t-1", "测试区")]
    kwargs = {"start": date(2026, 1, 5), "end": date(2026, 2, 1), "encoding": "utf-8-sig"}
    first = write_synthetic_export(tmp_path / "a", sites, **kwargs)
    second = write_synthetic_export(tmp_path / "b", sites, **kwargs)
    data = first.csv_path.read_bytes()
    assert data == second.csv_path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and data.count(b"\xef\xbb\xbf") == 1

    report = import_accidents(tmp_path / "wh", first.csv_path, first.mapping_path)
    assert report.count_rejected == first.count_malformed
    stored = pq.read_table(report.records_path).to_pylist()
    assert {(row["intersection_id"], row["district"]) for row in stored} <= {
        ("t-1", "测试区"),
        (None, "测试区"),
    }
