"""``civility cases verify DIR``: whether an export, or one case folder, is exactly what was
signed: every signature holds, every file has its SHA-256 and size, no file was added.

The signatures are checked with the office's public key when one is at hand (``--public-key``,
or the key ``$CIVILITY_CASE_KEY`` names); otherwise with the key the manifests carry, which
shows the files were not changed since signing but not by whom they were signed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from cases.manifest import MANIFEST, check_folder, unlisted_files
from cases.signing import ENV_KEY, load_private_key, load_public_key
from detectors.config.errors import InputError


@dataclass
class Verification:
    folder: Path
    kind: str  # 'export' or 'case'
    signed_by: str | None
    key_checked: bool  # against the office's key, not only the one the manifest carries
    count_cases: int = 0
    count_files: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(folder: Path, public_key_file: Path | None = None) -> Verification:
    folder = Path(folder)
    if not (folder / MANIFEST).is_file():
        raise InputError(
            f"{folder}: no {MANIFEST} here; pass the folder `civility cases export` wrote, "
            "or one case folder in it"
        )
    trusted = _office_key(public_key_file)
    top = check_folder(folder, trusted)
    kind = top.manifest.get("kind", "unknown")
    result = Verification(folder, kind, top.signed_by, trusted is not None)
    result.problems += top.problems
    listed = {entry["path"] for entry in top.manifest.get("files", [])}
    if kind == "case":
        result.count_cases, result.count_files = 1, top.count_files
        result.problems += [
            f"{path}: not in the signed manifest" for path in unlisted_files(folder, listed)
        ]
        return result
    result.count_files = top.count_files
    cases = sorted({path.rsplit("/", 1)[0] for path in listed if path.startswith("cases/")})
    for case in cases:
        check = check_folder(folder / case, trusted)
        result.count_cases += 1
        result.count_files += check.count_files
        result.problems += check.problems
        if check.signed_by and check.signed_by != top.signed_by:
            result.problems.append(f"{folder / case}: signed by another key ({check.signed_by})")
        case_listed = {entry["path"] for entry in check.manifest.get("files", [])}
        result.problems += [
            f"{path}: not in the signed manifest"
            for path in unlisted_files(folder / case, case_listed)
        ]
    strays = unlisted_files(folder, listed, skip=tuple(f"{case}/" for case in cases))
    result.problems += [f"{path}: not in the signed manifest" for path in strays]
    return result


def _office_key(public_key_file: Path | None) -> Ed25519PublicKey | None:
    if public_key_file is not None:
        try:
            return load_public_key(Path(public_key_file).read_bytes(), str(public_key_file))
        except OSError as error:
            raise InputError(f"{public_key_file}: cannot be read ({error.strerror})") from None
    private = os.environ.get(ENV_KEY)
    if private and Path(private).is_file():
        return load_private_key(Path(private)).public_key()
    return None
