import os

import pytest

from review.evidence import read_evidence_folder, resolve_evidence_file, resolve_inside


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


def test_an_evidence_folder_lists_the_clip_then_stills_then_the_close_up(warehouse, write_evidence):
    event = {"event_id": "e1", "evidence_path": "evidence/clip=c1/load=l1/e1"}
    write_evidence(event)
    folder = read_evidence_folder(warehouse, event["evidence_path"])
    assert folder.video == "evidence/clip=c1/load=l1/e1/clip.mp4"
    assert [path.rsplit("/", 1)[1] for path in folder.images] == [
        "frame_1_before.jpg",
        "frame_2_at.jpg",
        "frame_3_after.jpg",
        "closeup.jpg",
    ]
    assert folder.intact == dict.fromkeys(
        ["clip.mp4", "closeup.jpg", "frame_1_before.jpg", "frame_2_at.jpg", "frame_3_after.jpg"],
        True,
    )


def test_a_changed_file_no_longer_matches_its_record(warehouse, write_evidence):
    event = {"event_id": "e1", "evidence_path": "evidence/clip=c1/load=l1/e1"}
    write_evidence(event)
    (warehouse / event["evidence_path"] / "closeup.jpg").write_bytes(b"retouched")
    intact = read_evidence_folder(warehouse, event["evidence_path"]).intact
    assert intact["closeup.jpg"] is False
    assert intact["frame_2_at.jpg"] is True


def test_a_link_out_of_an_evidence_folder_is_not_listed(warehouse, store):
    os.symlink(warehouse.parent / "outside.jpg", store / "sneaky.jpg")
    folder = read_evidence_folder(warehouse, "evidence/clip=c1/load=l1/e1")
    assert folder.images == ["evidence/clip=c1/load=l1/e1/frame_2_at.jpg"]
    assert folder.intact == {}  # no event.json


@pytest.mark.parametrize("evidence_path", [None, "evidence/clip=c1/load=l1/gone", "review"])
def test_a_missing_or_foreign_folder_is_reported_missing(warehouse, store, evidence_path):
    assert read_evidence_folder(warehouse, evidence_path).is_missing
