"""Browser sessions: a signed cookie standing for a token, checked against the token file each time."""

from __future__ import annotations

import base64
import json
import os
import stat
from pathlib import Path

import pytest

from coopgraph.auth.session import Sessions, session_key_path
from coopgraph.auth.tokens import Role, TokenStore
from coopgraph.config import Settings
from coopgraph.errors import Forbidden, Unauthorized


@pytest.fixture
def tokens(tmp_path: Path) -> TokenStore:
    return TokenStore(tmp_path / "tokens.json")


def sessions_of(tmp_path: Path, tokens: TokenStore, hours: float = 8.0) -> Sessions:
    return Sessions(Settings(store_dir=tmp_path, in_memory=True, session_hours=hours), tokens)


def test_the_secret_is_made_once_with_mode_0600(tmp_path: Path, tokens: TokenStore) -> None:
    sessions = sessions_of(tmp_path, tokens)
    secret = sessions.secret()
    path = session_key_path(Settings(store_dir=tmp_path))
    assert len(secret) == 32 and path.read_bytes() == secret
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert sessions_of(tmp_path, tokens).secret() == secret


def test_a_session_holds_the_name_and_role_not_the_token(tmp_path: Path, tokens: TokenStore) -> None:
    token = tokens.create("carmen", Role.curator)
    cookie, session = sessions_of(tmp_path, tokens).start(token)
    assert session.holder.name == "carmen" and session.holder.role == Role.curator
    assert token.partition(".")[2] not in cookie
    payload = json.loads(base64.urlsafe_b64decode(cookie.partition(".")[0] + "=="))
    assert payload["n"] == "carmen" and payload["r"] == "curator"
    assert sessions_of(tmp_path, tokens).read(cookie).holder.name == "carmen"


def test_a_tampered_cookie_is_refused(tmp_path: Path, tokens: TokenStore) -> None:
    tokens.create("ana", Role.contributor)
    curator = tokens.create("carmen", Role.curator)
    sessions = sessions_of(tmp_path, tokens)
    cookie, _ = sessions.start(curator)
    encoded, _, mac = cookie.partition(".")
    payload = json.loads(base64.urlsafe_b64decode(encoded + "=="))
    payload["n"] = "ana"
    forged = base64.urlsafe_b64encode(json.dumps(payload).encode()).rstrip(b"=").decode() + "." + mac
    for bad in (forged, encoded + "." + mac[:-2] + "AA", encoded, "", "x.y", "." * 2000):
        with pytest.raises(Unauthorized):
            sessions.read(bad)
    # a cookie signed under another secret
    other = Sessions(Settings(store_dir=tmp_path / "other", in_memory=True), tokens)
    with pytest.raises(Unauthorized, match="signature"):
        sessions.read(other.start(curator)[0])


def test_revoking_the_token_ends_the_session_even_if_the_name_is_reused(
    tmp_path: Path, tokens: TokenStore
) -> None:
    sessions = sessions_of(tmp_path, tokens)
    cookie, _ = sessions.start(tokens.create("carmen", Role.curator))
    tokens.revoke("carmen")
    with pytest.raises(Unauthorized, match="revoked"):
        sessions.read(cookie)
    tokens.create("carmen", Role.curator)
    with pytest.raises(Unauthorized, match="revoked"):
        sessions.read(cookie)


def test_an_expired_session_is_refused(tmp_path: Path, tokens: TokenStore) -> None:
    sessions = sessions_of(tmp_path, tokens, hours=-1)
    cookie, _ = sessions.start(tokens.create("carmen", Role.curator))
    with pytest.raises(Unauthorized, match="expired"):
        sessions.read(cookie)


def test_a_bad_token_opens_no_session(tmp_path: Path, tokens: TokenStore) -> None:
    token = tokens.create("carmen", Role.curator)
    with pytest.raises(Unauthorized):
        sessions_of(tmp_path, tokens).start(token + "x")


def test_csrf_tokens_belong_to_their_session(tmp_path: Path, tokens: TokenStore) -> None:
    sessions = sessions_of(tmp_path, tokens)
    token = tokens.create("carmen", Role.curator)
    _, one = sessions.start(token)
    _, two = sessions.start(token)
    sessions.check_csrf(one, sessions.csrf(one))
    assert sessions.csrf(one) != sessions.csrf(two)
    with pytest.raises(Forbidden, match="does not match"):
        sessions.check_csrf(one, sessions.csrf(two))
    with pytest.raises(Forbidden, match="no csrf field"):
        sessions.check_csrf(one, None)
