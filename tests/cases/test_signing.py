import stat

import pytest

from cases.signing import (
    fingerprint,
    key_path,
    load_private_key,
    load_public_key,
    make_key,
    sign,
    signature_holds,
)
from detectors.config.errors import InputError


def test_a_new_key_is_private_to_its_owner_and_its_public_half_lies_beside_it(tmp_path):
    private, public = make_key(tmp_path / "office.pem")
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    assert public.name == "office.pem.pub"
    key = load_private_key(private)
    assert fingerprint(load_public_key(public.read_bytes(), "x")) == fingerprint(key.public_key())
    with pytest.raises(InputError, match="exists"):
        make_key(tmp_path / "office.pem")


def test_a_signature_holds_for_its_data_only(tmp_path):
    key = load_private_key(make_key(tmp_path / "office.pem")[0])
    signature = sign(key, b"manifest")
    assert signature_holds(key.public_key(), b"manifest", signature)
    assert not signature_holds(key.public_key(), b"manifest!", signature)
    assert not signature_holds(key.public_key(), b"manifest", "not base64 at all")


def test_the_key_path_comes_from_the_option_or_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("CIVILITY_CASE_KEY", str(tmp_path / "env.pem"))
    assert key_path(None) == tmp_path / "env.pem"
    assert key_path(tmp_path / "given.pem") == tmp_path / "given.pem"
    monkeypatch.delenv("CIVILITY_CASE_KEY")
    with pytest.raises(InputError, match="civility cases keygen"):
        key_path(None)


def test_a_key_that_is_not_ed25519_is_named(tmp_path):
    (tmp_path / "bad.pem").write_text(
        "-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----\n"
    )
    with pytest.raises(InputError, match="bad.pem: not an unencrypted PEM private key"):
        load_private_key(tmp_path / "bad.pem")
