"""Describing one resource: the statements about it, with their source graphs.

Every resource ``https://w3id.org/coopgraph/id/{kind}/{slug}`` is described by the statements
whose subject it is (with the blank nodes they lead to, two levels deep: qualified derivations,
participations), the statements that point at it, and the ``rdfs:label`` and ``rdf:type`` of every
named node the description mentions. Each statement keeps the named graph it comes from, i.e. its
source document. The queries are the ``.rq`` files of ``queries/internal/`` with the resource
bound as an RDF term, so the same code runs over the embedded store and a remote endpoint.
"""

from __future__ import annotations

import difflib
import heapq
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox
from rdflib.namespace import RDF, RDFS

from coopgraph.errors import NotFound
from coopgraph.namespaces import CG, ID_BASE
from coopgraph.queries import QueryCatalogue
from coopgraph.store import Store, as_quad

RESOURCE_PATH = re.compile(r"^[a-z0-9][a-z0-9-]*(?:/[A-Za-z0-9][A-Za-z0-9._~-]*)+$")
"""What can follow ``/id/``: a kind, then slug segments in the characters resource IRIs use."""

AGENT_TYPES = frozenset({str(CG.Country), str(CG.Party), str(CG.Organisation), str(CG.OrganisationalUnit)})
"""Classes whose instances take part in cooperation, and so have partners."""


class ResourceNotFound(NotFound):
    """No statement in the store has the resource as subject or object.

    Attributes
    ----------
    iri
        The IRI asked for.
    suggestions
        Close matches ``(iri, label)`` among the published resources.
    """

    def __init__(self, iri: str, suggestions: list[tuple[str, str]]) -> None:
        self.iri = iri
        self.suggestions = suggestions
        hint = ""
        if suggestions:
            hint = "; did you mean " + ", ".join(f"<{i}> ({label})" for i, label in suggestions) + "?"
        super().__init__(f"no resource <{iri}> in the graph{hint}")


def resource_iri_for_path(path: str) -> ox.NamedNode:
    """The canonical IRI served at ``/id/{path}``.

    Raises
    ------
    ResourceNotFound
        When the path cannot be a resource IRI (no kind/slug, characters IRIs here never use);
        it carries no suggestions.

    Examples
    --------
    >>> resource_iri_for_path("party/colombia")
    <NamedNode value=https://w3id.org/coopgraph/id/party/colombia>
    """
    if not RESOURCE_PATH.match(path):
        raise ResourceNotFound(ID_BASE + path, [])
    return ox.NamedNode(ID_BASE + path)


def term_value(term: object) -> str:
    """The lexical value of a pyoxigraph term: an IRI, a blank node id or a literal's text; an
    empty string for the default graph (which has no name).

    Examples
    --------
    >>> term_value(ox.NamedNode("https://w3id.org/coopgraph/id/party/x")), term_value(ox.DefaultGraph())
    ('https://w3id.org/coopgraph/id/party/x', '')
    """
    if isinstance(term, ox.NamedNode | ox.BlankNode | ox.Literal):
        return term.value
    return ""


@dataclass
class Description:
    """What the service says about one resource.

    Attributes
    ----------
    iri
        The resource.
    statements
        Its outgoing statements and those of the blank nodes they lead to, with their graphs.
    incoming
        Statements pointing at it (from a named node, or a blank node held by one).
    context
        ``rdfs:label`` and ``rdf:type`` of every named node the above mention.
    """

    iri: ox.NamedNode
    statements: list[ox.Quad] = field(default_factory=list)
    incoming: list[ox.Quad] = field(default_factory=list)
    context: list[ox.Quad] = field(default_factory=list)

    def quads(self) -> list[ox.Quad]:
        """All quads of the description, each once."""
        return list(dict.fromkeys([*self.statements, *self.incoming, *self.context]))

    def labels(self) -> dict[str, dict[str, str]]:
        """Labels by node IRI and language tag (``""`` for no tag)."""
        labels: dict[str, dict[str, str]] = defaultdict(dict)
        for quad in self.context + self.statements:
            if (
                quad.predicate.value == str(RDFS.label)
                and isinstance(quad.object, ox.Literal)
                and isinstance(quad.subject, ox.NamedNode)
            ):
                labels[quad.subject.value].setdefault(quad.object.language or "", quad.object.value)
        return labels

    def types(self, node: str) -> list[str]:
        """The ``rdf:type`` IRIs of a named node."""
        found = [
            term_value(q.object)
            for q in self.context + self.statements
            if term_value(q.subject) == node
            and q.predicate.value == str(RDF.type)
            and isinstance(q.subject, ox.NamedNode)
        ]
        return list(dict.fromkeys(found))

    def is_agent(self) -> bool:
        """Whether the resource is a State, organisation or unit (see :data:`AGENT_TYPES`)."""
        return not AGENT_TYPES.isdisjoint(self.types(self.iri.value))

    def by_subject(self) -> dict[ox.NamedNode | ox.BlankNode, list[ox.Quad]]:
        """The outgoing statements grouped by subject (the resource and its blank nodes)."""
        grouped: dict[ox.NamedNode | ox.BlankNode, list[ox.Quad]] = defaultdict(list)
        for quad in self.statements:
            grouped[quad.subject].append(quad)  # type: ignore[index]
        return grouped


def _bnode_scope(store: Store) -> dict[str, ox.BlankNode] | None:
    # A remote endpoint's blank node labels are scoped to one result set: give each result set
    # its own fresh nodes so two results cannot mix theirs up. Embedded ids are stable.
    return {} if store.kind == "remote" else None


def _term(term: Any, scope: dict[str, ox.BlankNode] | None) -> Any:
    if scope is not None and isinstance(term, ox.BlankNode):
        return scope.setdefault(term.value, ox.BlankNode())
    return term


def describe(store: Store, catalogue: QueryCatalogue, iri: ox.NamedNode) -> Description:
    """Describe a resource from the store (see the module docstring for what is included).

    Returns an empty :class:`Description` (no quads) when the store holds nothing about it.

    Examples
    --------
    >>> from coopgraph.config import Settings
    >>> from coopgraph.store import EmbeddedStore
    >>> store = EmbeddedStore(None)
    >>> r = ox.NamedNode("https://w3id.org/coopgraph/id/party/x")
    >>> label = ox.Triple(r, ox.NamedNode(str(RDFS.label)), ox.Literal("X", language="en"))
    >>> store.put_graph("https://w3id.org/coopgraph/graph/g", [label])
    1
    >>> len(describe(store, QueryCatalogue(Settings().queries_dir), r).statements)
    1
    """
    binding = {"_resource_iri": iri}
    out = Description(iri)
    scope = _bnode_scope(store)
    for row in store.select(catalogue.internal("describe-resource").text, binding):
        subject = _term(row.get("b2") or row.get("b1") or iri, scope)
        out.statements.append(as_quad(subject, row["p"], _term(row["o"], scope), row["g"]))
    scope = _bnode_scope(store)
    for row in store.select(catalogue.internal("incoming-links").text, binding):
        holder, graph = row["s"], row["g"]
        if "b" in row:
            node = _term(row["b"], scope)
            out.incoming.append(as_quad(holder, row["q"], node, graph))
            out.incoming.append(as_quad(node, row["p"], iri, graph))
        else:
            out.incoming.append(as_quad(holder, row["p"], iri, graph))
    if out.statements or out.incoming:
        for row in store.select(catalogue.internal("labels-and-types").text, binding):
            out.context.append(as_quad(row["n"], row["p"], row["o"], row["g"]))
    return out


def fold(text: str) -> str:
    """Text as suggestions compare it: no accents, case-folded, hyphens and runs of spaces as one space.

    Examples
    --------
    >>> fold("Atlántida  Sea-Fund")
    'atlantida sea fund'
    """
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.casefold().replace("-", " ").replace("_", " ").split())


def _grams(text: str, size: int) -> set[str]:
    padded = " " * (size - 1) + text + " "
    return {padded[i : i + size] for i in range(len(padded) - size + 1)}


def _kind(iri: str) -> str:
    return iri.removeprefix(ID_BASE).partition("/")[0]


class SuggestionIndex:
    """Close matches among the published resources, from an n-gram index built once.

    Every resource is indexed by its slug and its labels, folded (see :func:`fold`), as
    trigrams (and, for texts of up to 9 characters, bigrams: a query of up to 4 characters
    shares no trigram with a typo of itself). A lookup shortlists the entries whose n-grams are
    most like the query's (Dice coefficient), reading its rarest n-grams first and at most
    ``max_postings`` entries of each, then scores only the shortlist with
    :class:`difflib.SequenceMatcher`: its cost grows with the query's n-grams, not with the
    number of resources. Queries longer than ``max_chars`` get no suggestions.

    Parameters
    ----------
    labels
        Labels of every published resource, by IRI.
    max_chars
        Longest path after ``/id/`` (kind and slug) that gets suggestions.
    shortlist
        How many entries, of the same kind and then of any kind, are scored.
    max_postings
        How many entries of one n-gram are read; an n-gram in more entries says little, and is
        skipped once rarer ones have found candidates.

    Examples
    --------
    >>> index = SuggestionIndex({ID_BASE + "party/colombia": ["Colombia"]})
    >>> index.suggest(ID_BASE + "party/colombi")
    [('https://w3id.org/coopgraph/id/party/colombia', 'Colombia')]
    """

    THRESHOLD = 0.6
    """Lowest similarity (:meth:`difflib.SequenceMatcher.ratio`) of a suggestion."""
    SHORT_QUERY = 4
    """Queries of up to this many characters are looked up by bigrams. A text more than 7/3 as
    long as the query cannot reach :attr:`THRESHOLD`, so only texts of up to 9 characters need
    bigrams."""

    def __init__(
        self,
        labels: dict[str, list[str]],
        max_chars: int = 100,
        shortlist: int = 50,
        max_postings: int = 2000,
    ) -> None:
        self.max_chars = max_chars
        self.shortlist = shortlist
        self.max_postings = max_postings
        self._first_label = {iri: names[0] if names else "" for iri, names in labels.items()}
        self._entries: list[tuple[str, str, str]] = []  # (iri, kind, folded text)
        self._sizes: list[dict[int, int]] = []  # n-grams of each entry, by n
        short_text = self.SHORT_QUERY * 7 // 3
        postings: dict[str, list[int]] = defaultdict(list)
        for iri in sorted(labels):
            slug = iri.removeprefix(ID_BASE).partition("/")[2]
            for text in dict.fromkeys(fold(t) for t in [slug, *labels[iri]]):
                if not text:
                    continue
                sizes = {}
                for size in (2, 3) if len(text) <= short_text else (3,):
                    grams = _grams(text, size)
                    sizes[size] = len(grams)
                    for gram in grams:
                        postings[gram].append(len(self._entries))
                self._entries.append((iri, _kind(iri), text))
                self._sizes.append(sizes)
        self._postings = dict(postings)

    def __len__(self) -> int:
        return len(self._first_label)

    def suggest(self, iri: str, limit: int = 5) -> list[tuple[str, str]]:
        """Published resources whose slug or label is close to ``iri``'s slug, best first.

        Resources of the same kind (``party``, ``programme``) are preferred; the others are
        considered when none of that kind is close.

        Returns
        -------
        list of (str, str)
            ``(iri, first label)`` of at most ``limit`` close matches; none when the path after
            ``/id/`` is longer than ``max_chars``.
        """
        path = iri.removeprefix(ID_BASE)
        if len(path) > self.max_chars:
            return []
        kind, _, slug = path.partition("/")
        kind = fold(kind).replace(" ", "-")
        wanted = fold(slug) or fold(kind)
        if not wanted:
            return []
        size = 2 if len(wanted) <= self.SHORT_QUERY else 3
        grams = _grams(wanted, size)
        shared: Counter[int] = Counter()
        for entries in sorted((self._postings.get(gram, []) for gram in grams), key=len):
            if len(entries) > self.max_postings and shared:
                break  # the rest are in too many entries to tell them apart
            shared.update(entries[: self.max_postings])
        overlap = {n: 2 * c / (len(grams) + self._sizes[n][size]) for n, c in shared.items()}
        same_kind = [n for n in overlap if self._entries[n][1] == kind]
        best = self._ranked(wanted, same_kind, overlap) or self._ranked(wanted, list(overlap), overlap)
        return [(c, self._first_label[c]) for _, c in best[:limit]]

    def _ranked(self, wanted: str, entries: list[int], overlap: dict[int, float]) -> list[tuple[float, str]]:
        chosen = heapq.nlargest(self.shortlist, entries, key=lambda n: (overlap[n], -n))
        scores: dict[str, float] = {}
        for number in chosen:
            iri, _, text = self._entries[number]
            matcher = difflib.SequenceMatcher(None, wanted, text)
            # the quick ratios bound ratio() from above, as in difflib.get_close_matches
            if matcher.real_quick_ratio() < self.THRESHOLD or matcher.quick_ratio() < self.THRESHOLD:
                continue
            score = matcher.ratio()
            if score >= self.THRESHOLD and score > scores.get(iri, 0.0):
                scores[iri] = score
        return sorted(((s, c) for c, s in scores.items()), key=lambda s: (-s[0], s[1]))


def suggest(iri: str, labels: dict[str, list[str]], limit: int = 5) -> list[tuple[str, str]]:
    """Published resources whose slug or label is close to ``iri``'s slug, best first.

    A one-off :class:`SuggestionIndex`; a service keeps one index per store version instead.

    Parameters
    ----------
    iri
        The IRI asked for.
    labels
        Labels of every published resource, by IRI.
    limit
        How many suggestions at most.

    Returns
    -------
    list of (str, str)
        ``(iri, first label)`` of the close matches.

    Examples
    --------
    >>> labels = {ID_BASE + "party/colombia": ["Colombia"], ID_BASE + "party/chile": ["Chile"]}
    >>> suggest(ID_BASE + "party/colombi", labels)
    [('https://w3id.org/coopgraph/id/party/colombia', 'Colombia')]
    """
    return SuggestionIndex(labels).suggest(iri, limit)
