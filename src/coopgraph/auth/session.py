"""Browser sessions for the forms: a signed cookie standing for a token, and a CSRF token per session.

A visitor pastes their token once on ``/login``; the service answers a cookie that holds the
token's name, role, a stamp of the token (:meth:`TokenStore.lookup`), a random session id and an
expiry, signed with HMAC-SHA256 under a random secret kept in the store folder
(``session.key``, mode 0600, made on first use). The token itself is never in the cookie. Each
request re-reads the token file: a revoked (or remade) token ends its sessions at once.

A form posted with the cookie must carry the session's CSRF token (an HMAC of the session id) in
a hidden field: a page of another site can make a browser post a form with the cookie (when
``SameSite`` is not honoured), but cannot read the token to put in it.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import os
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from coopgraph.auth.tokens import TokenInfo, TokenStore
from coopgraph.config import Settings
from coopgraph.errors import Forbidden, InputError, Unauthorized

SESSION_KEY_FILE = "session.key"
"""The secret's file in the store folder."""
SECRET_BYTES = 32
COOKIE_NAME = "coopgraph_session"
CSRF_FIELD = "csrf"
"""The hidden form field that carries the CSRF token."""
MAX_COOKIE_CHARS = 1024


@dataclass(frozen=True)
class Session:
    """A valid session: the token holder it stands for, its id and when it ends (seconds since the epoch)."""

    holder: TokenInfo
    id: str
    expires: int


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def session_key_path(settings: Settings) -> Path:
    """Where the session secret is kept.

    >>> session_key_path(Settings(store_dir="/tmp/s")).as_posix()
    '/tmp/s/session.key'
    """
    return settings.store_path / SESSION_KEY_FILE


class Sessions:
    """Issues and checks the session cookies of one service.

    Parameters
    ----------
    settings
        Where the secret is kept, and how long a session lasts (``session_hours``).
    tokens
        The token file every session is checked against.

    Examples
    --------
    >>> import tempfile
    >>> from coopgraph.auth.tokens import Role
    >>> folder = Path(tempfile.mkdtemp())
    >>> tokens = TokenStore(folder / "tokens.json")
    >>> sessions = Sessions(Settings(store_dir=folder), tokens)
    >>> cookie, session = sessions.start(tokens.create("ana", Role.curator))
    >>> sessions.read(cookie).holder.name
    'ana'
    >>> sessions.check_csrf(session, sessions.csrf(session))
    >>> _ = tokens.revoke("ana")
    >>> sessions.read(cookie)
    Traceback (most recent call last):
    ...
    coopgraph.errors.Unauthorized: the session's token was revoked; log in again
    """

    def __init__(self, settings: Settings, tokens: TokenStore) -> None:
        self.key_path = session_key_path(settings)
        self.seconds = int(settings.session_hours * 3600)
        self.tokens = tokens
        self._secret: bytes | None = None

    def secret(self) -> bytes:
        """The signing secret, made (random, mode 0600) the first time it is needed."""
        if self._secret is None:
            self.key_path.parent.mkdir(parents=True, exist_ok=True)
            with contextlib.suppress(FileExistsError):
                fd = os.open(self.key_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                with os.fdopen(fd, "wb") as f:
                    f.write(secrets.token_bytes(SECRET_BYTES))
                    f.flush()
                    os.fsync(f.fileno())
            secret = self.key_path.read_bytes()
            if len(secret) != SECRET_BYTES:
                raise InputError(
                    f"the session secret is not {SECRET_BYTES} bytes; remove it to make a new one",
                    self.key_path,
                )
            self._secret = secret
        return self._secret

    def _mac(self, purpose: bytes, data: bytes) -> bytes:
        return hmac.new(self.secret(), purpose + b"\0" + data, hashlib.sha256).digest()

    def start(self, token: str) -> tuple[str, Session]:
        """Check ``token`` and open a session for its holder.

        Returns
        -------
        tuple
            The cookie's value and the session.

        Raises
        ------
        Unauthorized
            The token is not valid.
        """
        holder = self.tokens.check(token.strip())
        found = self.tokens.lookup(holder.name)
        if found is None:  # revoked between the two reads
            raise Unauthorized("the bearer token is not valid (unknown, revoked or mistyped)")
        session_id = _b64(secrets.token_bytes(16))
        expires = int(time.time()) + self.seconds
        payload = json.dumps(
            {"n": holder.name, "r": holder.role.value, "k": found[1], "i": session_id, "e": expires},
            separators=(",", ":"),
        ).encode()
        encoded = _b64(payload)
        cookie = f"{encoded}.{_b64(self._mac(b'session', encoded.encode()))}"
        return cookie, Session(holder, session_id, expires)

    def read(self, cookie: str) -> Session:
        """The session a cookie stands for, if its signature holds, it has not expired and its token is still valid.

        Raises
        ------
        Unauthorized
            The cookie is malformed, altered, expired, or its token was revoked.
        """
        encoded, _, mac = cookie.partition(".")
        if not encoded or not mac or len(cookie) > MAX_COOKIE_CHARS:
            raise Unauthorized("the session cookie is malformed; log in again")
        try:
            given = _unb64(mac)
        except ValueError:
            raise Unauthorized("the session cookie is malformed; log in again") from None
        if not hmac.compare_digest(given, self._mac(b"session", encoded.encode())):
            raise Unauthorized("the session cookie's signature does not hold; log in again")
        try:
            payload = json.loads(_unb64(encoded))
            name, stamp, session_id, expires = payload["n"], payload["k"], payload["i"], int(payload["e"])
        except (ValueError, KeyError, TypeError):
            raise Unauthorized("the session cookie is malformed; log in again") from None
        if expires <= time.time():
            raise Unauthorized("the session has expired; log in again")
        found = self.tokens.lookup(name)
        if found is None or not hmac.compare_digest(found[1], stamp):
            raise Unauthorized("the session's token was revoked; log in again")
        return Session(found[0], session_id, expires)

    def csrf(self, session: Session) -> str:
        """The CSRF token of a session, to put in the hidden field :data:`CSRF_FIELD` of its forms."""
        return _b64(self._mac(b"csrf", session.id.encode()))

    def check_csrf(self, session: Session, value: str | None) -> None:
        """Nothing if ``value`` is the session's CSRF token.

        Raises
        ------
        Forbidden
            The field is missing or holds another token.
        """
        if not value:
            raise Forbidden(
                f"the form has no {CSRF_FIELD} field: a form sent with the session cookie must carry the "
                "token of the page it came from (reload the page and send it again)"
            )
        if not hmac.compare_digest(value.encode(), self.csrf(session).encode()):
            raise Forbidden(
                f"the form's {CSRF_FIELD} field does not match this session (reload the page and send it again)"
            )
