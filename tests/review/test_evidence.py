import os

import pytest

from analytics.decisions.synthetic import synthetic_event
from analytics.warehouse.evidence import check_evidence, resolve_inside
from review.evidence import evidence_view, resolve_evidence_file, view_names


@pytest.fixture
def store(warehouse):
    """An evidence folder, and beside the store files nobody may fetch."""
    folder = warehouse / "evidence" / "clip=c1" / "load=l1" / "e1"
    folder.mkdir(parents=True)
    (folder / "frame_2_at.jpg").write_bytes(b"jpeg")
    (folder / "clip.mp4").write_bytes(b"mp4")
    (warehouse / "review").mkdir()
    (warehouse / "review" / "review.sqlite").write_bytes(b"secrets")
    (warehouse / "clips").mkdir()
    (warehouse / "clips" / "events.parquet").write_bytes(b"parquet")
    outside = warehouse.parent / "outside.jpg"
    outside.write_bytes(b"not evidence")
    return folder


def test_a_file_of_the_evidence_store_resolves(warehouse, store):
    requested = "evidence/clip=c1/load=l1/e1/frame_2_at.jpg"
    assert resolve_evidence_file(warehouse, requested) == (store / "frame_2_at.jpg").resolve()


@pytest.mark.parametrize(
    "requested",
    [
        "evidence/clip=c1/load=l1/e1/../../../../review/review.sqlite",
        "evidence/../review/review.sqlite",
        "evidence/../../outside.jpg",
        "../outside.jpg",
        "evidence/clip=c1/load=l1/e1/%2e%2e/%2e%2e/%2e%2e/%2e%2e/outside.jpg",
        "/etc/passwd",
        "clips/events.parquet",
        "evidence/clip=c1/load=l1/e1/event.json",
        "evidence/clip=c1/load=l1/e1/missing.jpg",
        "evidence/clip=c1/load=l1/e1/frame_2_at.jpg\x00.mp4",
        "evidence",
        "",
    ],
)
def test_nothing_outside_the_evidence_store_and_no_other_kind_of_file(warehouse, store, requested):
    assert resolve_evidence_file(warehouse, requested) is None


def test_a_symbolic_link_out_of_the_store_is_refused(warehouse, store):
    os.symlink(warehouse.parent / "outside.jpg", store / "sneaky.jpg")
    os.symlink(warehouse / "review", store / "review_dir")
    assert resolve_evidence_file(warehouse, "evidence/clip=c1/load=l1/e1/sneaky.jpg") is None
    assert resolve_inside(warehouse, "evidence/clip=c1/load=l1/e1/review_dir") is None


def test_a_symbolic_link_loop_is_refused(warehouse, store):
    os.symlink(store / "loop.jpg", store / "loop.jpg")
    assert resolve_evidence_file(warehouse, "evidence/clip=c1/load=l1/e1/loop.jpg") is None


def test_an_event_page_shows_the_clip_then_stills_then_the_close_up(warehouse, write_evidence):
    event = write_evidence(synthetic_event(0))
    view = evidence_view(
        check_evidence(warehouse, event["evidence_path"], event["evidence_sha256_json"])
    )
    assert view.video.path == event["evidence_path"] + "/clip.mp4"
    assert [image.name for image in view.images] == [
        "frame_1_before.jpg",
        "frame_2_at.jpg",
        "frame_3_after.jpg",
        "closeup.jpg",
    ]
    assert view.record.name == "event.json"
    assert {item.state for item in view.check.files} == {"intact"}


def test_display_names_come_from_an_intact_evidence_record_only(warehouse, write_evidence):
    event = write_evidence(synthetic_event(0))
    check = check_evidence(warehouse, event["evidence_path"], event["evidence_sha256_json"])
    assert view_names(warehouse, evidence_view(check)) == {
        "camera": "幸福路口 cam-00",
        "zone": "西侧人行横道 z0",
        "signal": "行人信号灯（北）",
    }
    (warehouse / event["evidence_path"] / "event.json").write_text('{"zone": {"name": "假"}}')
    check = check_evidence(warehouse, event["evidence_path"], event["evidence_sha256_json"])
    assert set(view_names(warehouse, evidence_view(check)).values()) == {None}
