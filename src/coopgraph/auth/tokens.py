"""Bearer tokens of the write side: created once, stored hashed, checked in constant time.

A token is 32 random bytes (``secrets.token_urlsafe``) shown once when it is created; the file
keeps only its scrypt hash (``hashlib.scrypt``, a salt per token), so a copy of the file gives no
token away. Every token has a name (who holds it) and a role:

- ``contributor``: may submit contributions (for review);
- ``curator``: may also review, and write through the Graph Store Protocol and SPARQL Update;
- ``admin``: may do everything, tokens included.

The file is JSON, written atomically with mode 0600. A token carries its name before a dot
(``NAME.SECRET``), so checking one costs one scrypt hash, not one per stored token.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import os
import secrets
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path

from coopgraph.config import Settings
from coopgraph.errors import Forbidden, InputError, ParameterError, Unauthorized

TOKENS_FILE = "tokens.json"
"""The token file's name in the store folder (``COOPGRAPH_TOKENS_FILE`` overrides the path)."""
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
"""scrypt's cost: about 16 MB and 30 ms a check (OWASP's minimum is N=2^17 for passwords; a
token has 256 random bits, so it needs no stretching against guessing, only against a stolen
file being a list of usable tokens)."""
NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")


class Role(StrEnum):
    """What a token may do; each role may do what the ones before it may."""

    contributor = "contributor"
    curator = "curator"
    admin = "admin"


ROLES: tuple[Role, ...] = (Role.contributor, Role.curator, Role.admin)
"""The roles, from the least allowed to the most."""


def allows(role: Role, needed: Role) -> bool:
    """Whether ``role`` may do what ``needed`` may.

    >>> allows(Role.admin, Role.curator), allows(Role.contributor, Role.curator)
    (True, False)
    """
    return ROLES.index(role) >= ROLES.index(needed)


@dataclass(frozen=True)
class TokenInfo:
    """A stored token, without its secret: its name, role and when it was created."""

    name: str
    role: Role
    created: str


def _hash(secret: str, salt: bytes) -> bytes:
    return hashlib.scrypt(secret.encode(), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def tokens_path(settings: Settings) -> Path:
    """Where the settings keep the tokens (``tokens_file``, or ``tokens.json`` in the store folder).

    >>> tokens_path(Settings(store_dir="/tmp/s")).as_posix()
    '/tmp/s/tokens.json'
    """
    return settings.tokens_file or settings.store_path / TOKENS_FILE


class TokenStore:
    """The tokens of one file.

    Parameters
    ----------
    path
        The JSON file (created on the first token, mode 0600).

    Examples
    --------
    >>> import tempfile
    >>> store = TokenStore(Path(tempfile.mkdtemp()) / "tokens.json")
    >>> token = store.create("alice", Role.curator)
    >>> store.check(token).role
    <Role.curator: 'curator'>
    >>> store.revoke("alice")
    True
    >>> store.any()
    False
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._cache: tuple[int, int, dict[str, dict[str, str]]] | None = None

    def _read(self) -> dict[str, dict[str, str]]:
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            return {}
        key = (stat.st_mtime_ns, stat.st_size)
        if self._cache is not None and self._cache[:2] == key:
            return self._cache[2]
        try:
            data = json.loads(self.path.read_text("utf-8"))
        except (OSError, ValueError) as exc:
            raise InputError(f"the token file cannot be read: {exc}", self.path) from exc
        tokens = data.get("tokens", {}) if isinstance(data, dict) else {}
        if not isinstance(tokens, dict):
            raise InputError("the token file has no 'tokens' object", self.path)
        self._cache = (*key, tokens)
        return tokens

    def _write(self, tokens: dict[str, dict[str, str]]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump({"tokens": tokens}, f, indent=1, sort_keys=True)
                f.flush()
                os.fsync(f.fileno())
            os.chmod(tmp, 0o600)
            tmp.replace(self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise
        self._cache = None

    def create(self, name: str, role: Role) -> str:
        """Make a token for ``name`` with ``role`` and return it: the only time it is shown.

        Raises
        ------
        ParameterError
            When the name is empty, longer than 64 characters, has characters other than
            letters, digits, ``-`` and ``_``, or is taken.
        """
        if not name or len(name) > 64 or not set(name) <= NAME_CHARS:
            raise ParameterError("name", "use 1 to 64 letters, digits, '-' or '_'")
        tokens = dict(self._read())
        if name in tokens:
            raise ParameterError("name", f"a token named {name!r} exists; revoke it first")
        secret = secrets.token_urlsafe(32)
        salt = secrets.token_bytes(16)
        tokens[name] = {
            "role": Role(role).value,
            "salt": _b64(salt),
            "hash": _b64(_hash(secret, salt)),
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        self._write(tokens)
        return f"{name}.{secret}"

    def revoke(self, name: str) -> bool:
        """Remove the token named ``name``; ``False`` when there is none."""
        tokens = dict(self._read())
        if tokens.pop(name, None) is None:
            return False
        self._write(tokens)
        return True

    def list(self) -> list[TokenInfo]:
        """The stored tokens (names, roles, creation times; never secrets), by name."""
        return [
            TokenInfo(name, Role(entry["role"]), entry.get("created", ""))
            for name, entry in sorted(self._read().items())
        ]

    def lookup(self, name: str) -> tuple[TokenInfo, str] | None:
        """The stored token named ``name`` and a stamp that changes when it is made again, or ``None``.

        The stamp (a hash of the token's random salt) lets a session bound to a token end when
        the token is revoked, even if a new token is made under the same name.
        """
        entry = self._read().get(name)
        if entry is None:
            return None
        stamp = hashlib.sha256(base64.b64decode(entry["salt"])).hexdigest()[:32]
        return TokenInfo(name, Role(entry["role"]), entry.get("created", "")), stamp

    def any(self) -> bool:
        """Whether any token is stored (with none, the service does not write)."""
        return bool(self._read())

    def check(self, token: str) -> TokenInfo:
        """The stored token ``token`` is, or :class:`Unauthorized`.

        The comparison of hashes is constant-time (``hmac.compare_digest``); an unknown name
        costs a hash too, so timing does not tell which names exist.
        """
        name, _, secret = token.partition(".")
        entry = self._read().get(name)
        salt = base64.b64decode(entry["salt"]) if entry else b"\0" * 16
        expected = base64.b64decode(entry["hash"]) if entry else b"\0" * 32
        matches = hmac.compare_digest(_hash(secret, salt), expected)
        if entry is None or not secret or not matches:
            raise Unauthorized("the bearer token is not valid (unknown, revoked or mistyped)")
        return TokenInfo(name, Role(entry["role"]), entry.get("created", ""))

    def authorise(self, token: str | None, needed: Role) -> TokenInfo:
        """The holder of ``token`` if its role allows ``needed``.

        Raises
        ------
        Forbidden
            No token is configured (the service does not write), or the role does not allow it.
        Unauthorized
            No token was given, or it is not valid.
        """
        if not self.any():
            raise Forbidden("writes are off: no token is configured on this service (coopgraph token create)")
        if not token:
            raise Unauthorized("this needs a bearer token: send 'Authorization: Bearer TOKEN'")
        holder = self.check(token)
        if not allows(holder.role, needed):
            raise Forbidden(
                f"the token {holder.name!r} has the role {holder.role.value}; this needs {needed.value}"
            )
        return holder


def token_info_dict(info: TokenInfo) -> dict[str, str]:
    """A token's public fields as plain strings (for ``token list --format json``)."""
    return {k: str(v) for k, v in asdict(info).items()}
