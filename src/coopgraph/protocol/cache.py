"""The result cache: serialised answers of deterministic queries, per store version, bounded in bytes.

Users repeat themselves (the explorer's pages, the named-query catalogue, dashboards), over a
graph that changes only when data is loaded. An answer is kept under everything that decides its
bytes (:func:`cache_key`): the store's version, the query text, its bindings, the dataset
(``default-graph-uri``, ``named-graph-uri``), the base of its relative IRIs, the negotiated media
type and the row cap. The least recently used answers go first once their bytes pass
``COOPGRAPH_CACHE_BYTES``.

A request asked again is found before it is read (:meth:`ResultCache.lookup`): once an answer is
kept, the raw request that asked for it (:func:`request_key`: the store's version, the method,
the URL's query string, the body and its type, the ``Accept`` header) is kept beside it as an
alias, so the same bytes asked again are answered without decoding, checking or negotiating
anything. Only requests that were read, checked and answered ever get an alias, and the alias
holds every byte of the request, so a hit is always a request that passed the checks before.

What is never kept: an error or a timeout (only answers are given to :meth:`ResultCache.put`);
the answer of a query that is not deterministic (:func:`deterministic`: ``NOW()``, ``RAND()``,
``UUID()``, ``STRUUID()``, ``BNODE()`` without argument, and ``SERVICE``, whose answer comes from
another endpoint). A truncated answer is deterministic and is kept with its flag.

The version (:class:`CacheVersion`): a store whose engine runs in this process is written only
by this process (an on-disk store holds its lock while the service runs), so every write or load
changes :meth:`~coopgraph.store.Store.version` before anyone can read the new data: an answer is
never stale. A remote endpoint can be written by anyone without coopgraph knowing, and asking it
for its version costs a query over every graph; its answers are kept only for
``COOPGRAPH_CACHE_REMOTE_SECONDS`` (the version is the current time slot of that length), which
is 0, never kept, by default.
"""

from __future__ import annotations

import hashlib
import re
import sys
import time
from collections import OrderedDict
from dataclasses import dataclass, field

from coopgraph.protocol.jobs import Job
from coopgraph.protocol.results import Answer
from coopgraph.sparqltext import tokens, unescape_codepoints
from coopgraph.store import Store

CACHE_HEADER = "X-Coopgraph-Cache"
"""The response header that says whether an answer came from the cache (``hit``) or not (``miss``)."""
CACHE_CONTROL = "no-cache"
"""A browser or proxy may keep an answer but must revalidate it (``If-None-Match``) before use."""

NOT_DETERMINISTIC = frozenset({"NOW", "RAND", "UUID", "STRUUID"})
"""SPARQL functions whose value changes from one evaluation to the next."""
ENTRY_OVERHEAD = 512
"""Bytes an entry costs besides its texts and body: the key tuple, the entry, the ordered
dictionary's slot and node (measured with ``tracemalloc`` in ``tests/protocol/test_cache.py``)."""
ALIAS_OVERHEAD = 256
"""Bytes an alias costs besides its texts: its key tuple, two dictionary slots and a list slot
(measured with ``tracemalloc`` in ``tests/protocol/test_cache.py``)."""

Key = tuple[object, ...]


_MAY_CHANGE = re.compile(r"(?:now|rand|uuid|bnode)(?:\s|#[^\r\n]*+)*+\(|service(?![a-z0-9_])|\\u")
"""What a text, lower-cased, must hold for its answer to change between runs: a name of
:data:`NOT_DETERMINISTIC` or ``BNODE`` before ``(`` (spaces and comments between), the word
``SERVICE``, or a codepoint escape that could spell either. A text without any is deterministic
without being read token by token (microseconds, where reading a named query takes a fifth of a
millisecond). The quantifiers are possessive: a run of ``#`` is read one way only."""
_MAY_CHANGE_WORDS = ("now", "rand", "uuid", "bnode", "service", "\\u")
"""What :data:`_MAY_CHANGE` cannot match without."""


def _reading_is_deterministic(text: str, codepoints_processed: bool) -> bool:
    found = list(tokens(text, codepoints_processed=codepoints_processed))
    for index, token in enumerate(found):
        if token.kind != "word":
            continue
        word = token.text.upper()
        if word == "SERVICE":
            return False
        following = found[index + 1 : index + 3]
        if not following or following[0].text != "(":
            continue
        if word in NOT_DETERMINISTIC:
            return False
        if word == "BNODE" and len(following) == 2 and following[1].text == ")":
            return False
    return True


def deterministic(text: str) -> bool:
    """Whether a query gives the same answer every time on the same data.

    Read with :func:`coopgraph.sparqltext.tokens`, so a function name inside a string, an IRI
    or a comment does not count; a text with codepoint escapes is read again with them replaced
    (SPARQL 1.1 §19.2), as the check of the query is.

    Examples
    --------
    >>> deterministic("SELECT ?s { ?s ?p 'NOW()' } # RAND()")
    True
    >>> deterministic("SELECT (now() AS ?t) {}")
    False
    >>> deterministic("SELECT (BNODE(?s) AS ?b) { ?s ?p ?o }"), deterministic("SELECT (BNODE( ) AS ?b) {}")
    (True, False)
    >>> deterministic("SELECT (\\\\u0052AND() AS ?r) {}")
    False
    """
    lowered = text.lower()
    # finding a word is a fraction of the pattern's cost, and most texts hold none of them
    if not any(word in lowered for word in _MAY_CHANGE_WORDS) or _MAY_CHANGE.search(lowered) is None:
        return True
    if not _reading_is_deterministic(text, codepoints_processed=False):
        return False
    processed = unescape_codepoints(text)
    return processed is text or _reading_is_deterministic(processed, codepoints_processed=True)


def cache_key(job: Job, version: str) -> Key:
    """Everything that decides the bytes of ``job``'s answer, with the store's ``version``.

    Bindings are keyed by their N-Triples form, which tells an IRI from a literal and a literal's
    datatype and language.

    >>> from coopgraph.negotiation import RESULTS_TYPES
    >>> job = Job("ASK {}", "ASK", RESULTS_TYPES[0], 10)
    >>> cache_key(job, "v1") == cache_key(job, "v1"), cache_key(job, "v1") == cache_key(job, "v2")
    (True, False)
    """
    bindings = tuple(sorted((name, str(term)) for name, term in job.bindings.items()))
    return (
        version,
        job.query,
        job.form,
        job.media.content_type,
        job.max_rows,
        job.default_graph,
        job.named_graphs,
        job.base_iri,
        bindings,
    )


def request_key(method: str, query_string: bytes, content_type: str, body: bytes, accept: str | None) -> Key:
    """A raw protocol request as it arrived, before anything is read from it (without the version).

    A GET and a HEAD ask the same; a GET's body and content type say nothing. Bytes are compared
    exactly: two spellings of one query are two keys (the second is read and checked once, then
    found too).

    >>> request_key("HEAD", b"query=ASK%7B%7D", "", b"", None) == request_key("GET", b"query=ASK%7B%7D", "x", b"", None)
    True
    >>> request_key("POST", b"", "application/sparql-query", b"ASK {}", "text/csv")[0]
    'POST'
    """
    if method != "POST":
        return ("GET", query_string, "", b"", accept)
    return ("POST", query_string, content_type, body, accept)


def etag(key: Key) -> str:
    """A weak entity tag for the answer of ``key``: a digest of the version and the request.

    Weak (``W/``): the same request on the same data gives the same answer, though an engine
    need not write it byte for byte the same way twice.

    >>> etag(("v1", "ASK {}")).startswith('W/"'), etag(("v1", "ASK {}")) == etag(("v2", "ASK {}"))
    (True, False)
    """
    digest = hashlib.blake2b(repr(key).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()
    return f'W/"{digest}"'


def etag_matches(header: str | None, tag: str) -> bool:
    """Whether an ``If-None-Match`` header names ``tag`` (weak comparison, RFC 9110 §13.1.2).

    >>> etag_matches('"a", W/"b"', 'W/"b"'), etag_matches("*", 'W/"b"'), etag_matches(None, 'W/"b"')
    (True, True, False)
    """
    if not header:
        return False
    bare = tag.removeprefix("W/")
    return any(t.strip() == "*" or t.strip().removeprefix("W/") == bare for t in header.split(","))


def entry_size(key: Key, answer: Answer) -> int:
    """The bytes an entry holds: its body, its query text and dataset, and a fixed overhead.

    >>> from coopgraph.negotiation import RESULTS_TYPES
    >>> key = cache_key(Job("ASK {}", "ASK", RESULTS_TYPES[0], 10), "v1")
    >>> entry_size(key, Answer(b"x" * 1000, "text/plain")) > 1000
    True
    """
    return ENTRY_OVERHEAD + _held(answer.body) + _held(answer.content_type) + _held(key)


def alias_size(raw: Key) -> int:
    """The bytes an alias holds: its raw request and a fixed overhead.

    >>> alias_size(("v1", "POST", b"", "", b"x" * 1000, None)) > 1000
    True
    """
    return ALIAS_OVERHEAD + _held(raw)


def _held(part: object) -> int:
    """Bytes of the texts and tuples in ``part`` (numbers and ``None`` are shared objects)."""
    if isinstance(part, str | bytes):
        return sys.getsizeof(part)
    if isinstance(part, tuple):
        return sys.getsizeof(part) + sum(_held(p) for p in part)
    return 0


@dataclass(frozen=True)
class Entry:
    """A kept answer, its entity tag and the bytes it counts for."""

    answer: Answer
    etag: str
    size: int
    aliases: list[tuple[Key, int]] = field(default_factory=list)
    """The raw requests (:func:`request_key`, with the version) that find this entry, and the
    bytes each counts for; they go with it."""


class ResultCache:
    """Answers by :func:`cache_key`, least recently used out first, at most ``capacity`` bytes.

    Used from the event loop only: no lock. ``hits``, ``misses``, ``evictions`` and ``bytes``
    are plain counters that the metrics read; ``bytes`` counts the entries and their aliases
    (:meth:`alias`), and never passes ``capacity``.

    Parameters
    ----------
    capacity
        The most bytes of entries (:func:`entry_size`) kept; 0 or less keeps nothing.

    Examples
    --------
    >>> from coopgraph.negotiation import RESULTS_TYPES
    >>> cache = ResultCache(4096)
    >>> key = cache_key(Job("ASK {}", "ASK", RESULTS_TYPES[0], 10), "v1")
    >>> cache.get(key) is None
    True
    >>> cache.put(key, Answer(b"{}", "application/json")).answer.body
    b'{}'
    >>> cache.get(key).answer.body, cache.hits, cache.misses
    (b'{}', 1, 1)
    >>> raw = ("v1", *request_key("GET", b"query=ASK+%7B%7D", "", b"", None))
    >>> cache.alias(raw, key)
    True
    >>> cache.lookup(raw).answer.body, cache.hits
    (b'{}', 2)
    """

    def __init__(self, capacity: int) -> None:
        self.capacity = max(0, capacity)
        self.bytes = 0
        self.hits = 0
        self.misses = 0
        self.evictions = 0
        self._entries: OrderedDict[Key, Entry] = OrderedDict()
        self._aliases: dict[Key, Key] = {}
        self._version: object = None

    @property
    def enabled(self) -> bool:
        """Whether anything can be kept (``capacity`` above 0)."""
        return self.capacity > 0

    def __len__(self) -> int:
        return len(self._entries)

    def _see_version(self, version: object) -> None:
        # entries of an older version can never be asked for again: their bytes go at once
        if version != self._version:
            self._version = version
            self.clear()

    def get(self, key: Key) -> Entry | None:
        """The entry of ``key``, made the most recently used, or ``None`` (counted as a miss)."""
        self._see_version(key[0])
        entry = self._entries.get(key)
        if entry is None:
            self.misses += 1
            return None
        self._entries.move_to_end(key)
        self.hits += 1
        return entry

    def lookup(self, raw: Key) -> Entry | None:
        """The entry a raw request (:func:`request_key` after the version) was answered from, or
        ``None``: a hit counts as :meth:`get` does; nothing is counted when there is no alias
        (the request is read and looked up by its key next, which counts the miss)."""
        key = self._aliases.get(raw)
        if key is None:
            return None
        return self.get(key)

    def alias(self, raw: Key, key: Key) -> bool:
        """Have the raw request ``raw`` find the entry of ``key``, if that is kept and both fit.

        Returns whether the alias is kept. Its bytes (:func:`alias_size`) count with the entry's,
        least recently used entries going first to make room; it goes when its entry goes.
        """
        if raw in self._aliases:
            return self._aliases[raw] == key
        size = alias_size(raw)
        entry = self._entries.get(key) if raw[0] == self._version else None
        if entry is None:
            return False
        self._entries.move_to_end(key)
        self._make_room(size, keep=key)
        if self.bytes + size > self.capacity:
            return False
        entry.aliases.append((raw, size))
        self._aliases[raw] = key
        self.bytes += size
        return True

    def _make_room(self, size: int, keep: Key | None = None) -> None:
        """Evict least recently used entries until ``size`` more bytes fit (never ``keep``)."""
        while self._entries and self.bytes + size > self.capacity:
            oldest = next(iter(self._entries))
            if oldest == keep:
                break
            self._drop(oldest)
            self.evictions += 1

    def _drop(self, key: Key) -> None:
        entry = self._entries.pop(key)
        self.bytes -= entry.size
        for raw, size in entry.aliases:
            del self._aliases[raw]
            self.bytes -= size

    def peek(self, key: Key) -> Entry | None:
        """The entry of ``key`` without counting a hit or a miss or changing its place."""
        return self._entries.get(key) if key[0] == self._version else None

    def put(self, key: Key, answer: Answer) -> Entry:
        """Keep ``answer`` under ``key`` if it fits, evicting the least recently used entries.

        Returns the entry (with its entity tag) whether or not it was kept: an answer larger than
        the whole capacity, or of a version older than the newest seen, is not kept.
        """
        entry = Entry(answer, etag(key), entry_size(key, answer))
        if self._version is None:
            self._version = key[0]
        if entry.size > self.capacity or key[0] != self._version:
            return entry
        if key in self._entries:
            self._drop(key)
        self._make_room(entry.size)
        self._entries[key] = entry
        self.bytes += entry.size
        return entry

    def clear(self) -> None:
        """Forget every entry (the counters of hits and misses stay)."""
        self._entries.clear()
        self._aliases.clear()
        self.bytes = 0


class CacheVersion:
    """The version answers are kept under, or ``None`` when answers must not be kept.

    Parameters
    ----------
    store
        The service's store.
    remote_seconds
        How long an answer of a store whose engine is not in this process may be served
        (``COOPGRAPH_CACHE_REMOTE_SECONDS``); 0 or less: never.

    Examples
    --------
    >>> from coopgraph.store import EmbeddedStore
    >>> store = EmbeddedStore(None)
    >>> CacheVersion(store, 0).current() == store.version()
    True
    """

    def __init__(self, store: Store, remote_seconds: float) -> None:
        self.store = store
        self.remote_seconds = remote_seconds

    def current(self) -> str | None:
        """The current version token (cheap: no query is run)."""
        if self.store.engine_in_process:
            # only this process writes the store, and every write changes its version first
            return self.store.version()
        if self.remote_seconds <= 0:
            return None
        return f"remote-{int(time.monotonic() // self.remote_seconds)}"
