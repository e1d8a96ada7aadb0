"""Search everywhere: an index of every label in every language, built once per store version.

A label is normalised (:func:`normalise`: compatibility decomposition, combining marks dropped,
case folded, punctuation made a space) and cut into tokens; the index maps each token to the
labels that hold it and keeps the tokens sorted, so a query token finds every token it begins
by two bisections. A query matches a label when each of its tokens begins a token of the label
(or, written without spaces, begins the whole label without spaces: ``g77`` finds "G-77").
No regular expression runs over the data: a keystroke is a few dictionary and list operations.
"""

from __future__ import annotations

import heapq
import re
import unicodedata
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from coopgraph.explore.common import KINDS, Labels, fetch_labels, per_version
from coopgraph.queries import QueryCatalogue
from coopgraph.store import Store

_NON_WORD = re.compile(r"[\W_]+")
_LAST = "\U0010ffff"
MAX_QUERY_LENGTH = 200
"""The longest query accepted, in characters."""

_PROPERTY_RANK = {"label": 0, "prefLabel": 0, "name": 1, "altLabel": 2, "hiddenLabel": 3}
_KIND_RANK = {name: rank for rank, name in enumerate(KINDS)}
_GROUP_RANK = {"actor": 0, "activity": 0, "proposal": 0, "other": 1}


def normalise(text: str) -> str:
    """The text as the index compares it: no accents, no case, words split by single spaces.

    Examples
    --------
    >>> normalise("Bogotá")
    'bogota'
    >>> normalise("IBERMÚSICAS")
    'ibermusicas'
    >>> normalise("  Ministère de la Culture (France) ")
    'ministere de la culture france'
    >>> normalise("G-77")
    'g 77'
    """
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(_NON_WORD.sub(" ", bare).split())


@dataclass(frozen=True)
class Hit:
    """One resource a query found.

    Attributes
    ----------
    iri
        The resource.
    kind
        Its kind (``country``, ``organisation``, ``programme``...; see ``KINDS``).
    label
        Its label in the languages asked for.
    matched
        The label the query matched (an acronym, a label in another language...).
    matched_language
        The language tag of ``matched`` (``""`` for none).
    matched_property
        The property of ``matched``: ``label``, ``prefLabel``, ``altLabel``, ``hiddenLabel``, ``name``.
    score
        0 for the whole label, 1 for its beginning, 2 for the beginning of its first word, 3 for
        other words; lower is better.
    """

    iri: str
    kind: str
    label: str
    matched: str
    matched_language: str
    matched_property: str
    score: int


@dataclass(frozen=True)
class _Label:
    resource: int
    text: str
    language: str
    property: str
    normal: str
    compact: str
    tokens: tuple[str, ...]


class SearchIndex:
    """The search index of one set of labels.

    Parameters
    ----------
    labels
        Every label and kind of the store (see :func:`coopgraph.explore.common.fetch_labels`).

    Examples
    --------
    >>> from coopgraph.explore.common import Labels
    >>> labels = Labels(
    ...     {"urn:bogota": {"es": "Bogotá"}},
    ...     {"urn:bogota": [("Bogotá", "es", "label")]},
    ...     {"urn:bogota": "place"},
    ... )
    >>> [hit.matched for hit in SearchIndex(labels).search("bogota", ["en"])]
    ['Bogotá']
    """

    def __init__(self, labels: Labels) -> None:
        self.labels = labels
        self.resources: list[str] = sorted(labels.every)
        self._entries: list[_Label] = []
        postings: dict[str, list[int]] = defaultdict(list)
        for number, iri in enumerate(self.resources):
            for text, language, prop in labels.every[iri]:
                normal = normalise(text)
                if not normal:
                    continue
                tokens = tuple(dict.fromkeys(normal.split()))
                compact = normal.replace(" ", "")
                entry = len(self._entries)
                self._entries.append(_Label(number, text, language, prop, normal, compact, tokens))
                for token in {*tokens, compact}:
                    postings[token].append(entry)
        self._tokens: list[str] = sorted(postings)
        self._postings: list[list[int]] = [postings[t] for t in self._tokens]

    def __len__(self) -> int:
        """How many labels the index holds."""
        return len(self._entries)

    def _starting_with(self, prefix: str) -> set[int]:
        low = bisect_left(self._tokens, prefix)
        high = bisect_left(self._tokens, prefix + _LAST, low)
        found: set[int] = set()
        for postings in self._postings[low:high]:
            found.update(postings)
        return found

    def _candidates(self, words: list[str]) -> set[int]:
        # the longest word first: it begins the fewest tokens; the others are checked on its labels
        ordered = sorted(words, key=len, reverse=True)
        found = self._starting_with(ordered[0])
        rest = ordered[1:]
        if rest:
            found = {
                e for e in found if all(any(t.startswith(w) for t in self._entries[e].tokens) for w in rest)
            }
        if len(words) > 1:
            found |= self._starting_with("".join(words))  # "g 77" also finds "G77"
        return found

    @staticmethod
    def _score(entry: _Label, query: str, compact: str, first: str) -> int:
        if entry.normal == query or entry.compact == compact:
            return 0
        if entry.normal.startswith(query) or entry.compact.startswith(compact):
            return 1
        if entry.tokens[0].startswith(first):
            return 2
        return 3

    def search(
        self,
        text: str,
        languages: Sequence[str],
        *,
        limit: int = 10,
        kinds: Collection[str] | None = None,
    ) -> list[Hit]:
        """The resources whose labels match ``text``, best first.

        Parameters
        ----------
        text
            What was typed (case, accents and punctuation do not matter).
        languages
            The languages to show labels in, best first.
        limit
            The most hits to return.
        kinds
            Only resources of these kinds (default: any).

        Returns
        -------
        list of Hit
            At most ``limit`` hits, one per resource, ranked by how well the best of its labels
            matches, then labels over alternative labels, actors and activities over other
            things, then shorter labels.
        """
        query = normalise(text)
        if not query or limit <= 0:
            return []
        words = query.split()
        compact = query.replace(" ", "")
        best: dict[int, tuple[tuple[int, int, int, int, int, str], _Label, int]] = {}
        for number in self._candidates(words):
            entry = self._entries[number]
            kind = self.labels.kind(self.resources[entry.resource])
            if kinds is not None and kind not in kinds:
                continue
            score = self._score(entry, query, compact, words[0])
            key = (
                score,
                _GROUP_RANK[KINDS[kind].group],
                _PROPERTY_RANK.get(entry.property, 4),
                0 if entry.language in languages[:1] else 1,
                len(entry.normal),
                entry.normal,
            )
            held = best.get(entry.resource)
            if held is None or key < held[0]:
                best[entry.resource] = (key, entry, score)
        chosen = heapq.nsmallest(limit, best.items(), key=lambda item: (item[1][0], self.resources[item[0]]))
        hits: list[Hit] = []
        for resource, (_, entry, score) in chosen:
            iri = self.resources[resource]
            hits.append(
                Hit(
                    iri=iri,
                    kind=self.labels.kind(iri),
                    label=self.labels.label(iri, languages),
                    matched=entry.text,
                    matched_language=entry.language,
                    matched_property=entry.property,
                    score=score,
                )
            )
        return hits


def group_by_kind(hits: Sequence[Hit]) -> list[tuple[str, list[Hit]]]:
    """Hits grouped by kind, the kinds in the order of ``KINDS``, each group keeping its ranking.

    >>> hits = [Hit("urn:b", "place", "B", "B", "", "label", 0), Hit("urn:a", "country", "A", "A", "", "label", 1)]
    >>> [(kind, len(group)) for kind, group in group_by_kind(hits)]
    [('country', 1), ('place', 1)]
    """
    groups: dict[str, list[Hit]] = defaultdict(list)
    for hit in hits:
        groups[hit.kind].append(hit)
    return sorted(groups.items(), key=lambda item: _KIND_RANK.get(item[0], len(_KIND_RANK)))


def search_index(store: Store, catalogue: QueryCatalogue) -> SearchIndex:
    """The search index of the store, built once per store version.

    Examples
    --------
    >>> from coopgraph.config import Settings
    >>> from coopgraph.store import EmbeddedStore
    >>> len(search_index(EmbeddedStore(None), QueryCatalogue(Settings().queries_dir)))
    0
    """
    return per_version(store, ("search",), lambda: SearchIndex(fetch_labels(store, catalogue)))
