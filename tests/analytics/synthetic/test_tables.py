"""Arrow helpers of the synthetic tables."""

from __future__ import annotations

import numpy as np

from analytics.synthetic.tables import coded, hex_strings, schema


def test_hex_strings_have_the_asked_length_and_alphabet():
    values = hex_strings(np.random.default_rng(0), 50, 16).to_pylist()
    assert all(len(value) == 16 and set(value) <= set("0123456789abcdef") for value in values)
    assert len(set(values)) == 50


def test_coded_maps_negative_codes_to_nulls():
    assert coded(("a", "b", None), np.array([1, -1, 0, 2])).to_pylist() == ["b", None, "a", None]


def test_compacted_rows_carry_their_load():
    assert schema("events").names[-1] == "load_id"
