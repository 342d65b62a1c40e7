"""The board's accident section: present with imported records, absent (and said so) without."""

from __future__ import annotations

from datetime import date

from analytics.accidents.importer import import_accidents
from analytics.accidents.synthetic import write_synthetic_export
from analytics.board.accidents import accident_section
from analytics.board.config import BoardConfig
from analytics.board.publish import publish_week
from analytics.board.queries import board_connection
from analytics.synthetic.generate import SyntheticSpec
from analytics.synthetic.world import build_world


def test_without_accident_records_there_is_no_section(synthetic_warehouse):
    con = board_connection(synthetic_warehouse, "2026-W47", BoardConfig())
    assert accident_section(con, "2026-W47", BoardConfig()) is None


def test_imported_accidents_make_a_section_with_the_campaign_comparison(
    synthetic_warehouse, tmp_path
):
    sites = build_world(6, SyntheticSpec.model_fields["seed"].default).sites()
    export = write_synthetic_export(
        tmp_path / "export",
        sites=sites,
        campaign_start=date(2026, 11, 2),
        start=date(2026, 8, 3),
        end=date(2026, 11, 22),
    )
    import_accidents(synthetic_warehouse, export.csv_path, export.mapping_path)
    config = BoardConfig(campaign_start="2026-11-02")
    section = accident_section(
        board_connection(synthetic_warehouse, "2026-W47", config), "2026-W47", config
    )
    assert section is not None
    assert [row.segment for row in section.trends.this_period][0] == "all"
    assert section.trends.campaign.campaign_start_date == date(2026, 11, 2)
    assert section.trends.is_synthetic
    by_month = BoardConfig(campaign_start="2026-11-02", accident_period="month")
    monthly = accident_section(
        board_connection(synthetic_warehouse, "2026-W47", by_month), "2026-W47", by_month
    )
    # W47 ends on 22 November: October is the last whole month; August starts on the 3rd.
    assert {row.period for row in monthly.trends.this_period} == {"2026-10"}
    first = monthly.trends.periods[0]
    assert (first.period, first.segment, first.is_partial) == ("2026-08", "all", True)
    folder = publish_week(synthetic_warehouse, "2026-W47", config).folder
    public = (folder / "index.html").read_text(encoding="utf-8")
    assert "全部事故：本周" in public and 'aria-label="每周交通事故起数"' in public
    analysis = (folder / "analysis.html").read_text(encoding="utf-8")
    assert "整治前后违法对比" in analysis and "相关系数" in analysis

    monthly_folder = publish_week(synthetic_warehouse, "2026-W47", by_month, force=True).folder
    monthly_page = (monthly_folder / "index.html").read_text(encoding="utf-8")
    assert "全部事故：2026年10月" in monthly_page and "较上月" in monthly_page
    assert 'aria-label="每月交通事故起数"' in monthly_page and "全部事故：本周" not in monthly_page
    assert "近12月月均" in (monthly_folder / "analysis.html").read_text(encoding="utf-8")


def test_the_correlation_is_the_documented_query_over_its_stated_window(
    synthetic_warehouse, tmp_path
):
    from analytics.board.data import accident_figures, correlation_window, rounded
    from analytics.board.queries import rows, set_board_variables
    from analytics.warehouse import connect

    sites = build_world(6, SyntheticSpec.model_fields["seed"].default).sites()
    export = write_synthetic_export(
        tmp_path / "export", sites=sites, start=date(2026, 8, 3), end=date(2026, 11, 22)
    )
    import_accidents(synthetic_warehouse, export.csv_path, export.mapping_path)
    config = BoardConfig(correlation_weeks=3)
    window = correlation_window("2026-W47", config)
    assert window == (date(2026, 11, 2), date(2026, 11, 22))
    board = accident_figures(synthetic_warehouse, "2026-W47", config, window).correlations

    con = connect(synthetic_warehouse)  # every week of the warehouse, as an analyst has it
    set_board_variables(con, config)
    con.execute("set variable correlation_start = date '2026-11-02'")
    con.execute("set variable correlation_end = date '2026-11-22'")
    documented = rows(
        con,
        "select intersection_id, district, rule, count_weeks, count_exposures, rate_per_1000, "
        "count_accidents, count_related_accidents, corr_rate_related_accidents "
        "from intersection_accident_correlation where corr_rate_related_accidents is not null "
        "order by rule, corr_rate_related_accidents desc, intersection_id",
    )
    assert rounded(board) == rounded(documented)  # equal to the 9 digits the hash keeps
    assert {row["count_weeks"] for row in board} <= {3}
