"""The office's signing key (Ed25519): made once, kept by the office, named by
``$CIVILITY_CASE_KEY``; every manifest a case export writes is signed with it, and anyone with
the public key can check that nothing was changed since.

``civility cases keygen --key PATH`` writes the private key (PEM, readable by its owner only)
and ``PATH.pub`` beside it; a key made with OpenSSL works as well
(``openssl genpkey -algorithm ed25519 -out PATH``).
"""

from __future__ import annotations

import base64
import hashlib
import os
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from detectors.config.errors import InputError

ENV_KEY = "CIVILITY_CASE_KEY"
_RAW = (serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_path(path: str | Path | None = None) -> Path:
    chosen = path or os.environ.get(ENV_KEY)
    if not chosen:
        raise InputError(
            "no signing key: create one with `civility cases keygen --key PATH` (or openssl "
            f"genpkey -algorithm ed25519 -out PATH) and pass --key PATH or set ${ENV_KEY}"
        )
    return Path(chosen)


def make_key(path: Path) -> tuple[Path, Path]:
    """A new private key at ``path`` (0600) and its public key at ``path.pub``; never over an
    existing key, whose signatures would then no longer verify with the key at hand."""
    public = path.with_name(path.name + ".pub")
    for existing in (path, public):
        if existing.exists():
            raise InputError(f"{existing} exists; keep it, or move it aside to make a new key")
    path.parent.mkdir(parents=True, exist_ok=True)
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(pem)
    public.write_bytes(public_pem(key.public_key()))
    return path, public


def load_private_key(path: Path) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except OSError as error:
        raise InputError(f"{path}: the signing key cannot be read ({error.strerror})") from None
    except (ValueError, TypeError) as error:
        raise InputError(f"{path}: not an unencrypted PEM private key ({error})") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise InputError(f"{path}: not an Ed25519 key; make one with `civility cases keygen`")
    return key


def load_public_key(data: bytes, where: str) -> Ed25519PublicKey:
    try:
        key = serialization.load_pem_public_key(data)
    except ValueError as error:
        raise InputError(f"{where}: not a PEM public key ({error})") from None
    if not isinstance(key, Ed25519PublicKey):
        raise InputError(f"{where}: not an Ed25519 public key")
    return key


def public_pem(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def fingerprint(key: Ed25519PublicKey) -> str:
    """SHA-256 of the raw public key, as people compare it: 'SHA256:' and 16 hex digits."""
    return "SHA256:" + hashlib.sha256(key.public_bytes(*_RAW)).hexdigest()[:16]


def sign(key: Ed25519PrivateKey, data: bytes) -> str:
    return base64.b64encode(key.sign(data)).decode("ascii") + "\n"


def signature_holds(key: Ed25519PublicKey, data: bytes, signature_text: str) -> bool:
    try:
        key.verify(base64.b64decode(signature_text.strip(), validate=True), data)
    except (InvalidSignature, ValueError):
        return False
    return True
