"""Submissions waiting for review, kept outside the store.

A contribution (a form, a CSV file, RDF posted by a client) is validated by the gate and then
kept here as a :class:`Submission`: one N-Triples file with its content and one JSON file with
its record, in ``COOPGRAPH_SUBMISSIONS_DIR`` (default ``submissions`` in the store folder). Its
content reaches the store only when a curator approves it (:mod:`coopgraph.contrib.review`), as
the named graph ``graph/submission/{id}``; until then no query, page or dump can show it.

Files are written atomically (a temporary file, then ``os.replace``), and ids are checked
against :data:`ID_PATTERN` before any path is built, so an id can never name a file elsewhere.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import secrets
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox
from rdflib import Node

from coopgraph.config import Settings
from coopgraph.errors import Conflict, InputError, NotFound, ParameterError, WriteTooLarge
from coopgraph.gate.change import Change, check_change, refuse_unless_conforms
from coopgraph.namespaces import GRAPH_BASE
from coopgraph.store import Store

STATUSES = ("pending", "approved", "rejected", "withdrawn")
"""Where a submission can be: waiting, in the store, refused, taken out of the store again."""
ID_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"
"""Letters and digits of an id (no ``l``, ``o``, ``0``, ``1``: an id read aloud is not mistaken)."""
ID_LENGTH = 12
ID_PATTERN = re.compile(f"[{ID_ALPHABET}]{{{ID_LENGTH}}}")
"""What an id is; anything else is not looked up (60 random bits)."""
SUBMISSION_GRAPH_BASE = GRAPH_BASE + "submission/"
"""The named graph of an approved submission is this followed by its id."""
SUBMISSIONS_FOLDER = "submissions"
"""The folder's name in the store folder (``COOPGRAPH_SUBMISSIONS_DIR`` overrides the path)."""
MAX_ORIGIN_CHARS = 200


@dataclass(frozen=True)
class Submission:
    """A contribution and where its review stands.

    Attributes
    ----------
    id
        Short random id (:data:`ID_PATTERN`).
    status
        One of :data:`STATUSES`.
    origin
        What it came from: ``form periodic-report``, ``csv actors (actors.csv)``, ``rdf (text/turtle)``.
    submitter
        The name of the token that sent it.
    created
        When it was sent (``xsd:dateTime``, UTC).
    graph
        The named graph it gets when approved.
    triples
        How many triples it holds.
    reviewer, reviewed, reason
        Who reviewed it, when, and why (a rejection's reason is required).
    """

    id: str
    status: str
    origin: str
    submitter: str
    created: str
    graph: str
    triples: int
    reviewer: str | None = None
    reviewed: str | None = None
    reason: str | None = None

    def as_dict(self) -> dict[str, object]:
        """The record as plain data (its JSON file, the API's answer)."""
        return asdict(self)


def submissions_path(settings: Settings) -> Path:
    """Where the settings keep submissions.

    >>> submissions_path(Settings(store_dir="/tmp/s")).as_posix()
    '/tmp/s/submissions'
    """
    return settings.submissions_dir or settings.store_path / SUBMISSIONS_FOLDER


def submission_graph(id: str) -> str:
    """The named graph an approved submission gets.

    >>> submission_graph("abcdefghijkm")
    'https://w3id.org/coopgraph/graph/submission/abcdefghijkm'
    """
    return SUBMISSION_GRAPH_BASE + id


def now() -> str:
    """The current time as an ``xsd:dateTime`` in UTC, to the second."""
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


class Submissions:
    """The submissions of one folder.

    Parameters
    ----------
    settings
        Where the folder is (``submissions_dir``) and the size limit (``max_write_bytes``).

    Examples
    --------
    >>> import tempfile
    >>> folder = Submissions(Settings(submissions_dir=tempfile.mkdtemp()))
    >>> triple = ox.Triple(ox.NamedNode("http://e/s"), ox.NamedNode("http://e/p"), ox.Literal("o"))
    >>> sent = folder.create([triple], "alice", "rdf (text/turtle)")
    >>> folder.get(sent.id).status, folder.content(sent.id) == [triple]
    ('pending', True)
    """

    def __init__(self, settings: Settings) -> None:
        self.folder = submissions_path(settings)
        self.max_bytes = settings.max_write_bytes

    def _path(self, id: str, suffix: str) -> Path:
        if not isinstance(id, str) or not ID_PATTERN.fullmatch(id):
            raise NotFound(f"there is no submission {str(id)[:40]!r}")
        return self.folder / f"{id}{suffix}"

    def _write(self, path: Path, data: bytes) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise

    def _write_record(self, submission: Submission) -> None:
        text = json.dumps(submission.as_dict(), ensure_ascii=False, indent=1, sort_keys=True)
        self._write(self._path(submission.id, ".json"), text.encode())

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        """Hold the folder's lock (an ``flock`` on a file in it): one change of status at a time."""
        self.folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.folder / ".lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)

    def create(self, triples: Sequence[ox.Triple], submitter: str, origin: str) -> Submission:
        """Keep ``triples`` as a new pending submission (the caller has validated them with the gate).

        Parameters
        ----------
        triples
            The content.
        submitter
            The name of the token that sends it.
        origin
            What it came from, in a few words.

        Returns
        -------
        Submission
            The new submission, pending.

        Raises
        ------
        ParameterError
            The content is empty (``content``), or ``origin`` is empty or too long.
        WriteTooLarge
            Its N-Triples are larger than ``COOPGRAPH_MAX_WRITE_BYTES``.
        """
        if not triples:
            raise ParameterError("content", "the submission holds no triple")
        if not origin.strip() or len(origin) > MAX_ORIGIN_CHARS:
            raise ParameterError(
                "origin", f"say what the submission came from in 1 to {MAX_ORIGIN_CHARS} characters"
            )
        unique = list(dict.fromkeys(triples))
        data = ox.serialize(unique, format=ox.RdfFormat.N_TRIPLES) or b""
        if len(data) > self.max_bytes:
            raise WriteTooLarge(self.max_bytes)
        id = "".join(secrets.choice(ID_ALPHABET) for _ in range(ID_LENGTH))
        submission = Submission(
            id=id,
            status="pending",
            origin=origin.strip(),
            submitter=submitter,
            created=now(),
            graph=submission_graph(id),
            triples=len(unique),
        )
        with self._locked():
            if self._path(id, ".json").exists():  # 60 random bits: never in practice
                raise Conflict(f"the id {id} is taken; send the submission again")
            self._write(self._path(id, ".nt"), data)
            self._write_record(submission)
        return submission

    def get(self, id: str) -> Submission:
        """The submission ``id``.

        Raises
        ------
        NotFound
            No submission has this id, or it is not an id at all.
        """
        path = self._path(id, ".json")
        try:
            record = json.loads(path.read_text("utf-8"))
        except FileNotFoundError:
            raise NotFound(f"there is no submission {id!r}") from None
        except (OSError, ValueError) as exc:
            raise InputError(f"the record of submission {id} cannot be read: {exc}", path.name) from exc
        return Submission(**record)

    def content(self, id: str) -> list[ox.Triple]:
        """The triples of the submission ``id`` (:class:`NotFound` as :meth:`get`)."""
        self.get(id)
        path = self._path(id, ".nt")
        try:
            return [quad.triple for quad in ox.parse(path=path, format=ox.RdfFormat.N_TRIPLES)]
        except FileNotFoundError:
            raise NotFound(f"the content of submission {id!r} is missing") from None
        except SyntaxError as exc:
            raise InputError(exc.msg or str(exc), path.name, exc.lineno, exc.offset) from exc

    def list(self, status: str | None = None) -> list[Submission]:
        """Every submission (or those with ``status``), the newest first.

        Raises
        ------
        ParameterError
            ``status`` is not one of :data:`STATUSES`.
        """
        if status is not None and status not in STATUSES:
            raise ParameterError("status", f"{status[:40]!r} is not one of {', '.join(STATUSES)}")
        if not self.folder.is_dir():
            return []
        found = []
        for path in self.folder.glob("*.json"):
            if ID_PATTERN.fullmatch(path.stem):
                with contextlib.suppress(NotFound):
                    found.append(self.get(path.stem))
        kept = [s for s in found if status is None or s.status == status]
        return sorted(kept, key=lambda s: (s.created, s.id), reverse=True)

    def decide(
        self, id: str, status: str, reviewer: str, reason: str | None = None, expected: str = "pending"
    ) -> Submission:
        """Move the submission ``id`` from ``expected`` to ``status``, saying who and why.

        Raises
        ------
        NotFound
            No such submission.
        Conflict
            Its status is not ``expected`` (another review came first).
        """
        if status not in STATUSES:
            raise ParameterError("status", f"{status!r} is not one of {', '.join(STATUSES)}")
        with self._locked():
            current = self.get(id)
            if current.status != expected:
                raise Conflict(
                    f"submission {id} is {current.status}"
                    + (f" (by {current.reviewer})" if current.reviewer else "")
                    + f"; only a {expected} submission can become {status}"
                )
            decided = replace(current, status=status, reviewer=reviewer, reviewed=now(), reason=reason)
            self._write_record(decided)
        return decided


def submit(
    store: Store,
    submissions: Submissions,
    settings: Settings,
    triples: Sequence[ox.Triple],
    lines: Mapping[Node, tuple[str, int]],
    submitter: str,
    origin: str,
    lang: str = "en",
) -> Submission:
    """Validate ``triples`` with the gate against the store as it is, and keep them as a pending submission.

    Parameters
    ----------
    lines
        Where each subject is described in the input (:func:`~coopgraph.gate.change.read_rdf`),
        so the report says which line is wrong.

    Raises
    ------
    ParameterError
        The content is empty.
    ValidationFailed
        It does not conform (the report, grouped by node, in the error); nothing is kept.
    WriteTooLarge
        It is larger than ``COOPGRAPH_MAX_WRITE_BYTES``.
    """
    if not triples:
        raise ParameterError("content", "the submission holds no triple")
    change = Change("SUBMIT", {SUBMISSION_GRAPH_BASE + "pending": list(triples)}, dict(lines))
    refuse_unless_conforms(check_change(store, change, settings, lang))
    return submissions.create(triples, submitter, origin)
