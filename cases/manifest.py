"""Manifests: every file of a folder with its SHA-256 and size, signed with the office's key,
and the check that finds any change since: a changed byte, a removed or added file, a
manifest or signature that was edited.

A case folder has its own manifest (``manifest.json`` + ``manifest.sig``), so that one case
can be handed over and checked alone. An export's manifest lists its index and each case's
manifest, so the whole export is checked by one signature and the cases' own.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from cases.signing import fingerprint, load_public_key, public_pem, sign, signature_holds
from detectors.outputs import file_sha256
from orchestration.landing import copy_hashing

MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"


@dataclass(frozen=True)
class FileEntry:
    path: str  # relative to the manifest's folder, with '/'
    sha256: str
    bytes: int


def copy_hashed(source: Path, target: Path) -> str:
    """Copy a file with its times, hashing it on the way (one read): the copy's SHA-256."""
    digest = copy_hashing(source, target)
    shutil.copystat(source, target)
    return digest


def entry_of(folder: Path, relative: str, sha256: str | None = None) -> FileEntry:
    path = folder / relative
    return FileEntry(relative, sha256 or file_sha256(path), path.stat().st_size)


def write_manifest(
    folder: Path, header: dict[str, Any], files: list[FileEntry], key: Ed25519PrivateKey
) -> str:
    """Write ``manifest.json`` (``header``, the signer's public key, ``files``) and its
    signature into ``folder``; the manifest's SHA-256."""
    public = key.public_key()
    manifest = {
        **header,
        "signed_by": fingerprint(public),
        "public_key": public_pem(public).decode("ascii"),
        "files": [entry.__dict__ for entry in sorted(files, key=lambda entry: entry.path)],
    }
    data = (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    (folder / MANIFEST).write_bytes(data)
    (folder / SIGNATURE).write_text(sign(key, data), encoding="ascii")
    return hashlib.sha256(data).hexdigest()


@dataclass
class FolderCheck:
    """What checking one manifest found; ``problems`` empty means untouched."""

    folder: Path
    signed_by: str | None = None
    count_files: int = 0
    problems: list[str] = field(default_factory=list)
    manifest: dict[str, Any] = field(default_factory=dict)


def check_folder(folder: Path, trusted: Ed25519PublicKey | None) -> FolderCheck:
    """Check ``folder`` against its manifest: the signature (by ``trusted`` when given, else by
    the key the manifest names, which proves integrity but not who signed), then every file
    listed, and that no file was added."""
    check = FolderCheck(folder)
    try:
        data = (folder / MANIFEST).read_bytes()
        signature = (folder / SIGNATURE).read_text(encoding="ascii")
        manifest = json.loads(data)
        key = trusted or load_public_key(manifest["public_key"].encode("ascii"), str(folder))
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        check.problems.append(f"{folder}: manifest or signature unreadable ({error})")
        return check
    check.manifest, check.signed_by = manifest, fingerprint(key)
    if manifest.get("signed_by") != fingerprint(key) or not signature_holds(key, data, signature):
        check.problems.append(f"{folder / MANIFEST}: the signature does not match")
    listed = set()
    for entry in manifest.get("files", []):
        listed.add(entry["path"])
        path = folder / entry["path"]
        if not path.is_file():
            check.problems.append(f"{path}: missing")
        elif path.stat().st_size != entry["bytes"] or file_sha256(path) != entry["sha256"]:
            check.problems.append(f"{path}: changed since it was signed")
    check.count_files = len(listed)
    return check


def unlisted_files(folder: Path, listed: set[str], skip: tuple[str, ...] = ()) -> list[Path]:
    """Files under ``folder`` that no manifest lists (``skip``: subfolders checked apart)."""
    found = []
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        if path.is_dir() or relative in listed or relative in (MANIFEST, SIGNATURE):
            continue
        if not any(relative.startswith(prefix) for prefix in skip):
            found.append(path)
    return found
