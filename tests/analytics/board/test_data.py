"""The board's figures: labels and the content hash."""

from __future__ import annotations

from analytics.board.config import BoardConfig
from analytics.board.data import entity_label, rounded


def test_floats_that_differ_only_in_their_last_bits_hash_alike():
    # 0.1 + 0.2 and 0.3 differ in the 17th digit, as parallel sums in another order may.
    assert rounded({"rates": [0.1 + 0.2, 1.0], "n": 3}) == rounded({"rates": [0.3, 1.0], "n": 3})
    assert rounded(66.4051234567) == 66.4051235


def test_labels_name_platforms_in_chinese_and_keep_other_ids():
    config = BoardConfig()
    assert entity_label({"entity_kind": "platform", "entity_id": "eleme"}, config) == "饿了么"
    assert (
        entity_label({"entity_kind": "platform", "entity_id": "foodpanda"}, config) == "foodpanda"
    )
    assert entity_label({"entity_kind": "city", "entity_id": "city"}, config) == "全市"
    assert entity_label({"entity_kind": "district", "entity_id": "海淀区学院路街道"}, config) == (
        "海淀区学院路街道"
    )
