"""The Parquet hand-over: courier columns of events and lane passages, written alike."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyarrow as pa
import pytest

from detectors.events.violation import CourierAttribution
from detectors.frames.source import ClipInfo
from detectors.outputs import SCHEMAS, courier_columns, passage_row
from detectors.pipeline import ClipResult
from detectors.tracks.summary import ZonePassage

START = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


@pytest.fixture
def result(make_camera) -> ClipResult:
    return ClipResult(
        clip=ClipInfo(Path("clip.mp4"), 640, 480, 10.0, 100),
        camera=make_camera(),
        clip_start=START,
        analysis_fps=10.0,
        model_version="m",
        config_hash="h",
    )


def lane_passage(courier: CourierAttribution | None) -> ZonePassage:
    return ZonePassage(
        track_id=4,
        road_user="two_wheeler",
        zone_kind="lane",
        zone_id="nb",
        entered_s=1.5,
        left_s=3.0,
        signal_id=None,
        signal_state_at_entry=None,
        along_direction_px=-120.0,
        courier=courier,
    )


@pytest.mark.parametrize(
    ("courier", "columns"),
    [
        (CourierAttribution("meituan", 0.81234), ("meituan", 0.812, True)),
        (CourierAttribution(None, 0.2), (None, 0.2, False)),  # looked at: no courier
        (None, (None, None, None)),  # not looked at (no profile for the market, a crosswalk)
    ],
)
def test_courier_columns_say_who_looked_and_what_they_saw(courier, columns):
    assert courier_columns(courier) == dict(
        zip(("courier_platform", "courier_confidence", "is_courier"), columns, strict=True)
    )


def test_a_passage_row_is_flat_and_fits_the_zone_passages_schema(result):
    row = passage_row(result, lane_passage(CourierAttribution("eleme", 0.5)))

    assert "courier" not in row
    assert (row["courier_platform"], row["is_courier"]) == ("eleme", True)
    assert row["entered_at"] == START + timedelta(seconds=1.5)
    full_row = {"clip_id": "c", "camera_id": "k", **row}
    assert sorted(full_row) == sorted(SCHEMAS["zone_passages"].names)
    pa.Table.from_pylist([full_row], schema=SCHEMAS["zone_passages"])  # raises if a type is off
