import pytest

from cases.export import export_cases
from cases.signing import make_key
from cases.verify import verify
from detectors.config.errors import InputError


@pytest.fixture
def export(case_warehouse, office_key, tmp_path):
    root, _ = case_warehouse
    out = tmp_path / "export"
    export_cases(root, "2026-W47", out, office_key)
    return out


def flip_one_byte(path):
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))


def test_an_untouched_export_verifies_with_the_offices_key(export, office_key):
    result = verify(export, office_key.with_name("office.pem.pub"))
    assert (result.ok, result.kind, result.count_cases, result.key_checked) == (
        True,
        "export",
        3,
        True,
    )
    assert result.count_files == 3 * 10 + 1 + 6  # each case's files, the index, the manifests


@pytest.mark.parametrize(
    "relative",
    [
        "index.csv",
        "manifest.json",
        "cases/{case}/evidence/frame_2_at.jpg",
        "cases/{case}/evidence/clip.mp4",
        "cases/{case}/case.pdf",
        "cases/{case}/record.json",
        "cases/{case}/manifest.json",
        "cases/{case}/manifest.sig",
    ],
)
def test_one_changed_byte_anywhere_is_detected(export, relative):
    case = sorted((export / "cases").iterdir())[1].name
    target = export / relative.format(case=case)
    flip_one_byte(target)
    result = verify(export)
    assert not result.ok
    assert any(str(target.parent) in problem for problem in result.problems), result.problems


def test_an_added_or_removed_file_is_detected(export):
    case = sorted((export / "cases").iterdir())[0]
    (case / "evidence" / "extra.jpg").write_bytes(b"planted")
    assert any("extra.jpg: not in the signed manifest" in p for p in verify(export).problems)
    (case / "evidence" / "extra.jpg").unlink()
    (case / "case.html").unlink()
    assert any("case.html: missing" in p for p in verify(export).problems)


def test_a_case_folder_verifies_alone(export):
    case = sorted((export / "cases").iterdir())[0]
    assert verify(case).ok and verify(case).kind == "case"
    flip_one_byte(case / "evidence" / "closeup.jpg")
    assert not verify(case).ok


def test_a_re_signed_export_fails_against_the_offices_key(export, office_key, tmp_path):
    """Someone changes a file and signs again with their own key: only the office's key tells."""
    from cases.manifest import entry_of, write_manifest
    from cases.signing import load_private_key

    other, _ = make_key(tmp_path / "other.pem")
    case = sorted((export / "cases").iterdir())[0]
    flip_one_byte(case / "record.json")
    import json

    manifest = json.loads((case / "manifest.json").read_text())
    entries = [entry_of(case, entry["path"]) for entry in manifest["files"]]
    header = {key: manifest[key] for key in ("kind", "case_no", "event_id", "week")}
    write_manifest(case, header, entries, load_private_key(other))
    assert verify(case).ok  # consistent, signed by whoever carried it
    office = verify(case, office_key.with_name("office.pem.pub"))
    assert not office.ok and "signature does not match" in office.problems[0]


def test_a_folder_without_a_manifest_is_named(tmp_path):
    with pytest.raises(InputError, match="no manifest.json here"):
        verify(tmp_path)
