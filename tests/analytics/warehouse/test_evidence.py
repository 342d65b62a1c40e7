import hashlib
import json
import os

import pytest

from analytics.warehouse.evidence import check_evidence, recorded_digests

FOLDER = "evidence/clip=c1/load=l1/e1"


@pytest.fixture
def loaded(tmp_path):
    """An evidence folder as loaded: three files, event.json listing its own copy of their
    digests, and the digests the warehouse recorded at load time."""
    root = tmp_path / "warehouse"
    folder = root / FOLDER
    folder.mkdir(parents=True)
    for name, content in {"frame_2_at.jpg": b"still", "clip.mp4": b"video"}.items():
        (folder / name).write_bytes(content)
    files = {name: digest(folder / name) for name in ("frame_2_at.jpg", "clip.mp4")}
    (folder / "event.json").write_text(json.dumps({"evidence": {"files": files}}))
    recorded = json.dumps({**files, "event.json": digest(folder / "event.json")})
    return root, folder, recorded


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_evidence_as_loaded_is_intact(loaded):
    root, _, recorded = loaded
    check = check_evidence(root, FOLDER, recorded)
    assert check.state == "intact" and check.is_intact
    assert [(item.name, item.state) for item in check.files] == [
        ("clip.mp4", "intact"),
        ("event.json", "intact"),
        ("frame_2_at.jpg", "intact"),
    ]


def test_a_changed_picture_is_tampered_even_when_event_json_was_rewritten_to_match(loaded):
    root, folder, recorded = loaded
    (folder / "frame_2_at.jpg").write_bytes(b"retouched")
    record = json.loads((folder / "event.json").read_text())
    record["evidence"]["files"]["frame_2_at.jpg"] = digest(folder / "frame_2_at.jpg")
    (folder / "event.json").write_text(json.dumps(record))
    check = check_evidence(root, FOLDER, recorded)
    assert check.state == "tampered"
    assert {item.name: item.state for item in check.files} == {
        "clip.mp4": "intact",
        "event.json": "tampered",
        "frame_2_at.jpg": "tampered",
    }


def test_a_removed_file_is_missing_and_an_added_one_tampering(loaded):
    root, folder, recorded = loaded
    (folder / "clip.mp4").unlink()
    assert check_evidence(root, FOLDER, recorded).state == "missing"
    (folder / "extra.jpg").write_bytes(b"planted")
    check = check_evidence(root, FOLDER, recorded)
    assert check.state == "tampered"
    assert check.file("extra.jpg").state == "tampered"


def test_each_file_carries_the_digest_it_was_checked_with_even_unverifiable(loaded):
    root, folder, recorded = loaded
    (folder / "clip.mp4").unlink()
    check = check_evidence(root, FOLDER, recorded)
    assert check.file("clip.mp4").sha256 is None
    assert check.file("frame_2_at.jpg").sha256 == digest(folder / "frame_2_at.jpg")
    unrecorded = check_evidence(root, FOLDER, None)
    assert unrecorded.file("event.json").sha256 == digest(folder / "event.json")


def test_without_recorded_digests_nothing_can_be_verified(loaded):
    root, _, _ = loaded
    for record in (None, "", "not json", "[]", "{}", '{"a.jpg": 3}'):
        assert recorded_digests(record) is None
        assert check_evidence(root, FOLDER, record).state == "unrecorded"


@pytest.mark.parametrize("path", [None, "evidence/clip=c1/load=l1/gone", "../outside", "/etc"])
def test_a_missing_or_foreign_folder_is_missing(loaded, path):
    root, _, recorded = loaded
    assert check_evidence(root, path, recorded).state == "missing"


def test_a_link_out_of_the_folder_is_not_read_as_evidence(loaded, tmp_path):
    root, folder, recorded = loaded
    (tmp_path / "outside.jpg").write_bytes(b"x")
    os.symlink(tmp_path / "outside.jpg", folder / "sneaky.jpg")
    check = check_evidence(root, FOLDER, recorded)
    assert check.file("sneaky.jpg") is None and check.state == "intact"
