"""The board's figures: labels and the content hash."""

from __future__ import annotations

from analytics.board.config import BoardConfig
from analytics.board.data import entity_label, rounded


def test_floats_that_differ_only_in_their_last_bits_hash_alike():
    # 0.1 + 0.2 and 0.3 differ in the 17th digit, as parallel sums in another order may.
    assert rounded({"rates": [0.1 + 0.2, 1.0], "n": 3}) == rounded({"rates": [0.3, 1.0], "n": 3})
    assert rounded(66.4051234567) == 66.4051235


def test_labels_are_names_the_public_reads():
    config = BoardConfig(platform_names={"meituan": "美团"}, intersection_names={"x-1": "幸福路口"})
    profiles = {"meituan": "美团外卖", "eleme": "饿了么"}

    def label(kind: str, entity: str) -> str:
        return entity_label({"entity_kind": kind, "entity_id": entity}, config, profiles)

    assert (label("platform", "eleme"), label("platform", "meituan")) == ("饿了么", "美团")
    assert label("platform", "foodpanda") == "foodpanda"
    assert label("city", "city") == "全市"
    assert label("district", "海淀区学院路街道") == "海淀区学院路街道"
    assert (label("intersection", "x-1"), label("intersection", "x-2")) == ("幸福路口", "x-2")
    assert label("intersection", "syn-学院路-成府路") == "学院路与成府路路口"


def test_a_year_before_29_february_is_28_february():
    from datetime import date

    from analytics.board.data import one_year_earlier

    assert one_year_earlier(date(2028, 2, 29)) == date(2027, 2, 28)
    assert one_year_earlier(date(2028, 3, 1)) == date(2027, 3, 1)


def test_the_campaign_section_compares_violations_before_and_after(synthetic_warehouse):
    from analytics.board.publish import board_data

    without = board_data(synthetic_warehouse, "2026-W47", BoardConfig())
    config = BoardConfig(campaign_start="2026-11-09", trend_weeks=4)
    campaign = board_data(synthetic_warehouse, "2026-W47", config).campaign

    assert without.campaign == []
    segments = {(row["rule"], row["segment"]): row for row in campaign}
    assert set(segments) == {
        ("pedestrian_red_light", "all"),
        ("wrong_way", "all"),
        ("wrong_way", "courier"),
    }
    courier = segments[("wrong_way", "courier")]
    # After window 11-09..11-22 (14 days, ending with the board's week), before 10-26..11-08.
    assert (str(courier["after_to_date"]), courier["window_days"]) == ("2026-11-22", 14)
    assert (
        courier["count_violations_after"]
        <= segments[("wrong_way", "all")]["count_violations_after"]
    )
