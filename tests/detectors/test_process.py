"""One clip to one complete output folder, on the rendered sample clip (real model, slow)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from detectors.config.camera import load_camera
from detectors.frames.binding import bind_clip
from detectors.outputs import TABLES
from detectors.process import process_clip

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
MODEL = SHARED / "models" / "yolo11n_openvino_model"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not MODEL.is_dir(), reason=f"needs the shared model in {SHARED}"),
]


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    from sample_video import write_sample

    return write_sample(tmp_path_factory.mktemp("sample"))


@pytest.fixture(scope="module")
def detector():
    from detectors.detections.detector import Detector, DetectorSettings

    return Detector(DetectorSettings(model=str(MODEL)))


def run(sample, detector, out: Path):
    camera = load_camera(sample.camera)
    start = bind_clip(sample.clip, camera.timezone).start
    return process_clip(sample.clip, camera, out, detector, clip_start=start)


def test_outputs_are_complete_and_every_evidence_file_is_hashed(sample, detector, tmp_path):
    processed = run(sample, detector, tmp_path / "out")

    assert sorted(p.name for p in processed.out_dir.glob("*.parquet")) == sorted(
        f"{t}.parquet" for t in TABLES
    )
    events = pq.read_table(processed.out_dir / "events.parquet").to_pylist()
    assert {e["rule"] for e in events} == {"pedestrian_red_light", "wrong_way"}
    for event in events:
        folder = processed.out_dir / event["evidence_dir"]
        record = json.loads((folder / "event.json").read_text())
        assert record["event_id"] == event["event_id"]
        for name, sha in json.loads(event["evidence_sha256_json"]).items():
            assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == sha
        assert event["occurred_at"] is not None  # the sidecar gave the wall-clock start
    clip = pq.read_table(processed.out_dir / "clip.parquet").to_pylist()[0]
    assert clip["clip_id"] == processed.clip_id and not clip["is_partial"]
    assert clip["count_frames_decoded"] == clip["count_frames_declared"]
    passages = pq.read_table(processed.out_dir / "zone_passages.parquet").to_pylist()
    assert {p["zone_kind"] for p in passages} == {"crosswalk", "lane"}
    # Every two-wheeler's lane passage is attributed (the sample's couriers wear Meituan yellow).
    lanes = [p for p in passages if p["zone_kind"] == "lane"]
    assert all(p["is_courier"] is not None for p in lanes)
    assert "meituan" in {p["courier_platform"] for p in lanes}
    assert all(p["courier_platform"] is None for p in passages if p["zone_kind"] == "crosswalk")


def test_a_rerun_replaces_the_folder_and_a_failed_run_leaves_the_old_one(
    sample, detector, tmp_path, monkeypatch
):
    out = tmp_path / "out"
    first = run(sample, detector, out)
    second = run(sample, detector, out)
    assert sorted(second.evidence) == sorted(first.evidence)  # same ids: idempotent
    before = sorted(p.relative_to(out) for p in out.rglob("*"))

    def crash(*args, **kwargs):
        raise RuntimeError("killed while writing")

    monkeypatch.setattr("detectors.process.write_outputs", crash)
    with pytest.raises(RuntimeError):
        run(sample, detector, out)

    assert sorted(p.relative_to(out) for p in out.rglob("*")) == before
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # no staging folder left behind


def faststart_copy(clip: Path, target: Path) -> Path:
    """The clip remuxed with its index first, as cameras stream it: a cut copy still decodes."""
    import av

    with (
        av.open(str(clip)) as source,
        av.open(str(target), "w", options={"movflags": "+faststart"}) as copy,
    ):
        stream = copy.add_stream_from_template(source.streams.video[0])
        for packet in source.demux(source.streams.video[0]):
            if packet.dts is not None:
                packet.stream = stream
                copy.mux(packet)
    return target


def test_a_truncated_clip_yields_its_decodable_part_flagged_partial(sample, detector, tmp_path):
    complete = faststart_copy(sample.clip, tmp_path / "complete.mp4")
    data = complete.read_bytes()
    truncated = tmp_path / sample.clip.name
    truncated.write_bytes(data[: len(data) * 2 // 3])
    camera = load_camera(sample.camera)

    processed = process_clip(truncated, camera, tmp_path / "out", detector)

    clip = pq.read_table(processed.out_dir / "clip.parquet").to_pylist()[0]
    assert clip["is_partial"]
    assert 0 < clip["count_frames_decoded"] < clip["count_frames_declared"]
