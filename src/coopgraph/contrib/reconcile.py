"""For each node a submission mints, the existing nodes it probably is.

A contribution often names a thing the graph already has under another IRI: "AECID" for the
Agencia Española de Cooperación Internacional para el Desarrollo, "Ministère de la Culture" for
"Ministere de la culture". For every node of a submission that is not yet in the store and has a
label, :func:`reconcile` suggests existing nodes, each with a score and the reason:

- **label**: the same label once case, accents, punctuation and articles are set aside;
- **alias**: a label of one is an alternative label (``skos:altLabel``, ``skos:hiddenLabel``) of
  the other;
- **acronym**: a one-word label of one is the initials of a label of the other (with or without
  its short words: ``de``, ``para``, ``of``...).

A suggestion of the same kind (country, organisation, programme...; :func:`coopgraph.explore.kind_of`)
ranks higher, one of another known kind lower. The existing labels come from the explorer's label
data (:func:`coopgraph.explore.common.fetch_labels`), indexed once per store version. Results are
deterministic: ties are broken by IRI.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib.namespace import FOAF, RDF, RDFS, SKOS

from coopgraph.explore import kind_of, normalise, per_version
from coopgraph.explore.common import Labels, fetch_labels, property_name
from coopgraph.namespaces import ONTOLOGY_GRAPH, SCHEMA
from coopgraph.queries import QueryCatalogue
from coopgraph.store import Store

LABEL_PROPERTIES = frozenset(
    str(p) for p in (RDFS.label, SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel, FOAF.name, SCHEMA.name)
)
"""The label properties of the explorer's label data (``queries/internal/explore-labels.rq``)."""
ALIAS_PROPERTIES = frozenset({"altLabel", "hiddenLabel"})
ARTICLES = frozenset(
    {
        "the",
        "a",
        "an",
        "el",
        "la",
        "los",
        "las",
        "lo",
        "un",
        "una",
        "unos",
        "unas",
        "le",
        "les",
        "l",
        "une",
        "des",
    }
)
"""Articles of English, Spanish and French, set aside when labels are compared."""
SHORT_WORDS = ARTICLES | frozenset(
    {
        "of",
        "for",
        "and",
        "on",
        "in",
        "to",
        "de",
        "del",
        "para",
        "y",
        "e",
        "en",
        "por",
        "et",
        "du",
        "pour",
        "d",
        "au",
        "aux",
    }
)
"""Words an acronym often skips (articles, prepositions, conjunctions)."""
SCORES = {"label": 0.9, "alias": 0.8, "acronym": 0.6}
SAME_KIND, OTHER_KIND = 0.1, -0.2
MAX_SUGGESTIONS = 5
MAX_ACRONYM = 12


def label_key(text: str) -> str:
    """A label as labels are compared: :func:`~coopgraph.explore.normalise`, without articles.

    >>> label_key("The Ministère de la Culture (France)")
    'ministere de culture france'
    >>> label_key("l'Organisation internationale de la Francophonie")
    'organisation internationale de francophonie'
    """
    return " ".join(word for word in normalise(text).split() if word not in ARTICLES)


def initials(text: str) -> set[str]:
    """The acronyms a label of several words may have: its initials, with and without short words.

    >>> sorted(initials("Agencia Española de Cooperación Internacional para el Desarrollo"))
    ['aecid', 'aedciped']
    >>> initials("UNESCO")
    set()
    """
    words = normalise(text).split()
    if len(words) < 2:
        return set()
    found = {"".join(w[0] for w in words), "".join(w[0] for w in words if w not in SHORT_WORDS)}
    return {a for a in found if len(a) >= 2}


def acronym_of(text: str) -> str | None:
    """The label as an acronym, when it is one word of 2 to 12 letters or digits (``G-77`` is ``g77``).

    >>> acronym_of("AECID"), acronym_of("G-77"), acronym_of("Ministry of Culture")
    ('aecid', 'g77', None)
    """
    normal = normalise(text)
    compact = normal.replace(" ", "")
    if not 2 <= len(compact) <= MAX_ACRONYM or len(normal.split()) > 2 or not compact.isalnum():
        return None
    if " " in normal and not normal.split()[1].isdigit():
        return None
    return compact


@dataclass(frozen=True)
class Suggestion:
    """An existing node a minted node probably is.

    Attributes
    ----------
    iri
        The existing node.
    label
        Its label (in the languages asked for).
    kind
        Its kind (``organisation``, ``country``...).
    score
        Between 0 and 1; higher is likelier.
    basis
        ``label``, ``alias`` or ``acronym``.
    given
        The submission's label that matched.
    matched
        The existing label it matched.
    same_kind
        Whether both are of the same known kind (``None``: one kind is unknown).
    """

    iri: str
    label: str
    kind: str
    score: float
    basis: str
    given: str
    matched: str
    same_kind: bool | None

    @property
    def reason(self) -> str:
        """Why, in words (English)."""
        if self.basis == "label":
            text = f"the same label ({self.given!r} / {self.matched!r}) once case, accents, punctuation and articles are set aside"
        elif self.basis == "alias":
            text = f"{self.given!r} and {self.matched!r} are the same name, one of them an alternative label"
        else:
            text = f"{self.given!r} and {self.matched!r}: one is the initials of the other"
        if self.same_kind:
            text += f"; both are of the kind {self.kind}"
        elif self.same_kind is False:
            text += f"; but it is of another kind ({self.kind})"
        return text

    def as_dict(self) -> dict[str, object]:
        """The suggestion as plain data, its reason included."""
        return {
            "iri": self.iri,
            "label": self.label,
            "kind": self.kind,
            "score": self.score,
            "basis": self.basis,
            "given": self.given,
            "matched": self.matched,
            "same_kind": self.same_kind,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class MintedNode:
    """A node a submission describes that the store does not have yet, with its suggestions."""

    iri: str
    label: str
    kind: str
    labels: tuple[str, ...]
    suggestions: tuple[Suggestion, ...] = field(default=())

    def as_dict(self) -> dict[str, object]:
        """The node as plain data."""
        return {
            "iri": self.iri,
            "label": self.label,
            "kind": self.kind,
            "labels": list(self.labels),
            "suggestions": [s.as_dict() for s in self.suggestions],
        }


class LabelIndex:
    """The existing labels, by key, by acronym and by initials (built once per store version).

    Parameters
    ----------
    labels
        The explorer's labels and kinds of the store.
    superclasses
        Per class IRI, its superclasses in the ontology (so a subclass has the kind of its class).
    """

    def __init__(self, labels: Labels, superclasses: dict[str, set[str]]) -> None:
        self.labels = labels
        self.superclasses = superclasses
        self.by_key: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
        self.by_acronym: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
        self.by_initials: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
        for iri in sorted(labels.every):
            for text, _, prop in labels.every[iri]:
                entry = (iri, text, prop)
                key = label_key(text)
                if key:
                    self.by_key[key].append(entry)
                acronym = acronym_of(text)
                if acronym:
                    self.by_acronym[acronym].append(entry)
                for letters in initials(text):
                    self.by_initials[letters].append(entry)

    def kind_of_types(self, types: Iterable[str]) -> str:
        """The kind of a node with these ``rdf:type`` values (their superclasses considered)."""
        classes = set(types)
        for cls in list(classes):
            classes |= self.superclasses.get(cls, set())
        return kind_of(classes)


def _superclasses(store: Store) -> dict[str, set[str]]:
    direct: dict[str, set[str]] = defaultdict(set)
    sub_class_of = str(RDFS.subClassOf)
    for quad in store.quads(str(ONTOLOGY_GRAPH)):
        if (
            quad.predicate.value == sub_class_of
            and isinstance(quad.subject, ox.NamedNode)
            and isinstance(quad.object, ox.NamedNode)
        ):
            direct[quad.subject.value].add(quad.object.value)
    closed: dict[str, set[str]] = {}
    for cls in direct:
        seen: set[str] = set()
        todo = list(direct[cls])
        while todo:
            parent = todo.pop()
            if parent not in seen:
                seen.add(parent)
                todo.extend(direct.get(parent, ()))
        closed[cls] = seen
    return closed


def label_index(store: Store, catalogue: QueryCatalogue) -> LabelIndex:
    """The label index of the store, built once per store version."""
    return per_version(
        store, ("reconcile",), lambda: LabelIndex(fetch_labels(store, catalogue), _superclasses(store))
    )


def described_nodes(triples: Sequence[ox.Triple]) -> dict[str, tuple[list[tuple[str, str, str]], list[str]]]:
    """Per named subject of ``triples``: its labels ``(text, language, property)`` and its types."""
    nodes: dict[str, tuple[list[tuple[str, str, str]], list[str]]] = {}
    rdf_type = str(RDF.type)
    for t in triples:
        if not isinstance(t.subject, ox.NamedNode):
            continue
        labels, types = nodes.setdefault(t.subject.value, ([], []))
        if t.predicate.value in LABEL_PROPERTIES and isinstance(t.object, ox.Literal):
            labels.append((t.object.value, t.object.language or "", property_name(t.predicate.value)))
        elif t.predicate.value == rdf_type and isinstance(t.object, ox.NamedNode):
            types.append(t.object.value)
    return nodes


def suggest(
    index: LabelIndex, labels: Sequence[tuple[str, str, str]], kind: str, languages: Sequence[str]
) -> list[Suggestion]:
    """The existing nodes a node with ``labels`` and ``kind`` probably is, best first.

    Examples
    --------
    >>> from coopgraph.explore.common import Labels
    >>> existing = Labels(
    ...     {"urn:aecid": {"es": "Agencia Española de Cooperación Internacional para el Desarrollo"}},
    ...     {"urn:aecid": [("Agencia Española de Cooperación Internacional para el Desarrollo", "es", "label")]},
    ...     {"urn:aecid": "organisation"},
    ... )
    >>> [(s.iri, s.basis, s.score) for s in suggest(LabelIndex(existing, {}), [("AECID", "es", "label")], "organisation", ["es"])]
    [('urn:aecid', 'acronym', 0.7)]
    """
    best: dict[str, tuple[float, str, str, str]] = {}

    def consider(entries: Iterable[tuple[str, str, str]], basis: str, given: str, given_prop: str) -> None:
        for iri, text, prop in entries:
            aliased = prop in ALIAS_PROPERTIES or given_prop in ALIAS_PROPERTIES
            chosen = "alias" if basis == "label" and aliased else basis
            score = SCORES[chosen]
            held = best.get(iri)
            if held is None or score > held[0]:
                best[iri] = (score, chosen, given, text)

    for given, _, given_prop in labels:
        key = label_key(given)
        if key:
            consider(index.by_key.get(key, ()), "label", given, given_prop)
        acronym = acronym_of(given)
        if acronym:
            consider(index.by_initials.get(acronym, ()), "acronym", given, given_prop)
        for letters in initials(given):
            consider(index.by_acronym.get(letters, ()), "acronym", given, given_prop)
    found: list[Suggestion] = []
    for iri, (score, basis, given, matched) in best.items():
        other = index.labels.kind(iri)
        same = None if "other" in (kind, other) else kind == other
        adjusted = score + (SAME_KIND if same else OTHER_KIND if same is False else 0.0)
        found.append(
            Suggestion(
                iri=iri,
                label=index.labels.label(iri, languages),
                kind=other,
                score=round(max(0.0, min(1.0, adjusted)), 2),
                basis=basis,
                given=given,
                matched=matched,
                same_kind=same,
            )
        )
    found.sort(key=lambda s: (-s.score, s.iri))
    return found[:MAX_SUGGESTIONS]


def minted_nodes(store: Store, catalogue: QueryCatalogue, triples: Sequence[ox.Triple]) -> list[str]:
    """The named subjects of ``triples`` the store has no statement about or link to, in IRI order."""
    query = catalogue.internal("resource-exists").text
    return [
        iri
        for iri in sorted(described_nodes(triples))
        if not store.ask(query, {"_resource_iri": ox.NamedNode(iri)})
    ]


def reconcile(
    store: Store, catalogue: QueryCatalogue, triples: Sequence[ox.Triple], languages: Sequence[str] = ("en",)
) -> list[MintedNode]:
    """Every node ``triples`` mint, with the existing nodes each probably is.

    Parameters
    ----------
    store
        The store as it is now.
    catalogue
        Its internal queries (the explorer's labels, ``resource-exists``).
    triples
        A submission's content.
    languages
        The languages labels are shown in, best first.

    Returns
    -------
    list of MintedNode
        In IRI order; nodes without a label get no suggestion.
    """
    index = label_index(store, catalogue)
    described = described_nodes(triples)
    minted: list[MintedNode] = []
    for iri in minted_nodes(store, catalogue, triples):
        labels, types = described[iri]
        kind = index.kind_of_types(types)
        shown = sorted({text for text, _, _ in labels})
        ordered = sorted(labels, key=lambda item: (item[1] not in languages[:1], item[2] != "label", item[0]))
        minted.append(
            MintedNode(
                iri=iri,
                label=ordered[0][0] if ordered else iri.rstrip("/#").rsplit("/", 1)[-1],
                kind=kind,
                labels=tuple(shown),
                suggestions=tuple(suggest(index, labels, kind, languages)) if labels else (),
            )
        )
    return minted
