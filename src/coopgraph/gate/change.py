"""A write, gated: applied to a copy, validated, committed to the store only if it conforms.

A :class:`Change` says what a write asks for each graph it touches: its new content, or its
removal. It is built from a Graph Store Protocol request (:func:`put_change`, :func:`post_change`,
:func:`delete_change`) or by running a SPARQL Update on an in-memory copy of the graphs it names
(:func:`update_change`). :func:`check_change` validates the new content with the shapes, the
declared-term and the datatype checks (:func:`coopgraph.validation.validate_graph`); then
:func:`commit_change` replaces the graphs in the store in one transaction
(:meth:`~coopgraph.store.Store.put_graphs`), which bumps the store's version.

The copy holds the new content of the changed graphs, the reference graph, and, for every node
the content names, what the rest of the store says of it (its types and labels, and its whole
description when the content describes it too), so that ``sh:class`` checks on links to nodes of
other graphs hold. Results are kept for the nodes the new content describes only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, Node, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from coopgraph.config import Settings
from coopgraph.errors import (
    Forbidden,
    InputError,
    ParameterError,
    QueryError,
    QueryRefused,
    QueryTimeout,
    UnsupportedContentType,
    ValidationFailed,
)
from coopgraph.gate.update_run import UpdateFailed, UpdateTimedOut, apply_update, run_update
from coopgraph.namespaces import ANALYSIS_GRAPH, ONTOLOGY_GRAPH, REFERENCE_GRAPH, SHAPES_GRAPH
from coopgraph.rdfinput import check_rdfxml, local_jsonld
from coopgraph.sparqltext import inspect_query, tokens
from coopgraph.store import Store
from coopgraph.validation import ValidationReport, validate_graph

RDF_BODY_TYPES: dict[str, ox.RdfFormat] = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/x-turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "text/n3": ox.RdfFormat.N3,
}
"""Media types of a graph in a request body, and how they are parsed (graphs, not datasets)."""

PROTECTED_GRAPHS = frozenset({str(ONTOLOGY_GRAPH), str(SHAPES_GRAPH), str(ANALYSIS_GRAPH)})
"""Graphs no write may change: the ontology and shapes the gate checks with come from their
folders, and the analysis graph is computed."""

BODY = "<body>"
"""The name results of a request body are located in (``<body>:LINE``)."""


@dataclass
class Change:
    """What a write asks: per graph, its new content (``None``: the graph is removed).

    Attributes
    ----------
    operation
        ``PUT``, ``POST``, ``DELETE`` or ``UPDATE``, for the audit log.
    graphs
        Per graph IRI, its new triples or ``None``.
    lines
        Where each subject of the request body is described (line numbers of RDF input).
    added, removed
        Triples added and removed in all, for the audit log.
    """

    operation: str
    graphs: dict[str, list[ox.Triple] | None]
    lines: dict[Node, tuple[str, int]] = field(default_factory=dict)
    added: int = 0
    removed: int = 0


def media_type_of(content_type: str | None) -> str:
    """The media type of a ``Content-Type`` header, lower case, without parameters.

    >>> media_type_of("Text/Turtle; charset=utf-8")
    'text/turtle'
    """
    return (content_type or "").split(";", 1)[0].strip().lower()


def read_rdf(body: bytes, content_type: str | None) -> tuple[list[ox.Triple], dict[Node, tuple[str, int]]]:
    """The triples of a request body, after the checks of :mod:`coopgraph.rdfinput`.

    Parameters
    ----------
    body
        The body.
    content_type
        Its ``Content-Type`` (one of :data:`RDF_BODY_TYPES`).

    Returns
    -------
    tuple
        The triples, and the line where each subject is described (Turtle, N-Triples, N3).

    Raises
    ------
    UnsupportedContentType
        For a media type not in :data:`RDF_BODY_TYPES`.
    InputError
        With the line and column of a syntax error, or why a check refused the body (an
        RDF/XML entity declaration, a JSON-LD context given by IRI).

    Examples
    --------
    >>> triples, lines = read_rdf(b"<http://e/s> <http://e/p> 1 .", "text/turtle")
    >>> len(triples), list(lines.values())
    (1, [('<body>', 1)])
    """
    media = media_type_of(content_type)
    fmt = RDF_BODY_TYPES.get(media)
    if fmt is None:
        raise UnsupportedContentType(
            f"a graph cannot be read from {media or 'a body without Content-Type'}; send one of "
            + ", ".join(RDF_BODY_TYPES)
        )
    data = body
    if fmt == ox.RdfFormat.RDF_XML:
        check_rdfxml([body])
    elif fmt == ox.RdfFormat.JSON_LD:
        data = local_jsonld(body)
    try:
        triples = [quad.triple for quad in ox.parse(data, format=fmt)]
    except SyntaxError as exc:
        raise InputError(exc.msg or str(exc), BODY, exc.lineno, exc.offset) from exc
    except (ValueError, OSError) as exc:
        raise InputError(str(exc), BODY) from exc
    lines = (
        subject_lines(body, triples)
        if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.N_TRIPLES, ox.RdfFormat.N3)
        else {}
    )
    return triples, lines


_PREFIX_LINE = re.compile(r"\s*(?:@prefix|PREFIX)\s+([\w.-]*):\s*<([^>]*)>", re.IGNORECASE)


def subject_lines(body: bytes, triples: Iterable[ox.Triple]) -> dict[Node, tuple[str, int]]:
    """The line where each named subject starts a statement in a Turtle or N-Triples text.

    >>> t = ox.Triple(ox.NamedNode("http://e/s"), ox.NamedNode("http://e/p"), ox.Literal("o"))
    >>> subject_lines(b"@prefix e: <http://e/> .\\n\\ne:s e:p 'o' .", [t])
    {rdflib.term.URIRef('http://e/s'): ('<body>', 3)}
    """
    text = body.decode("utf-8", "replace")
    subjects = {t.subject.value for t in triples if isinstance(t.subject, ox.NamedNode)}
    prefixes = {m.group(1): m.group(2) for m in map(_PREFIX_LINE.match, text.splitlines()) if m}
    lines: dict[Node, tuple[str, int]] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line or line[0].isspace() or line.startswith("#"):
            continue
        token = line.split(None, 1)[0]
        if token.startswith("<") and token.endswith(">"):
            iri = token[1:-1]
        elif ":" in token:
            prefix, _, local = token.partition(":")
            if prefix not in prefixes:
                continue
            iri = prefixes[prefix] + local
        else:
            continue
        if iri in subjects:
            lines.setdefault(URIRef(iri), (BODY, number))
    return lines


def check_graph_name(graph: str) -> str:
    """``graph`` if it is an absolute IRI that a write may change.

    Raises
    ------
    ParameterError
        When it is not an absolute IRI (``graph``).
    Forbidden
        When it is one of :data:`PROTECTED_GRAPHS`.

    Examples
    --------
    >>> check_graph_name("https://w3id.org/coopgraph/graph/submission-1")
    'https://w3id.org/coopgraph/graph/submission-1'
    >>> check_graph_name("https://w3id.org/coopgraph/graph/shapes")
    Traceback (most recent call last):
    ...
    coopgraph.errors.Forbidden: the graph https://w3id.org/coopgraph/graph/shapes is not written through the service: it is loaded from its folder (ontology/, shapes/) or computed
    """
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+", graph):
        raise ParameterError("graph", f"{graph[:200]!r} is not an absolute IRI")
    try:
        ox.NamedNode(graph)
    except ValueError as exc:
        raise ParameterError("graph", f"{graph[:200]!r} is not an IRI: {exc}") from exc
    if graph in PROTECTED_GRAPHS:
        raise Forbidden(
            f"the graph {graph} is not written through the service: it is loaded from its folder "
            "(ontology/, shapes/) or computed"
        )
    return graph


def _size(store: Store, graph: str) -> int:
    return sum(1 for _ in store.quads(graph))


def put_change(
    store: Store, graph: str, triples: list[ox.Triple], lines: dict[Node, tuple[str, int]]
) -> Change:
    """The change of a Graph Store PUT: ``graph`` gets ``triples`` as its whole content."""
    check_graph_name(graph)
    return Change("PUT", {graph: triples}, lines, added=len(triples), removed=_size(store, graph))


def post_change(
    store: Store, graph: str, triples: list[ox.Triple], lines: dict[Node, tuple[str, int]]
) -> Change:
    """The change of a Graph Store POST: ``triples`` are merged into ``graph``."""
    check_graph_name(graph)
    old = [q.triple for q in store.quads(graph)]
    merged = list(dict.fromkeys([*old, *triples]))
    return Change("POST", {graph: merged}, lines, added=len(merged) - len(old))


def delete_change(store: Store, graph: str) -> Change:
    """The change of a Graph Store DELETE: ``graph`` is removed."""
    check_graph_name(graph)
    return Change("DELETE", {graph: None}, removed=_size(store, graph))


_GRAPH_WORDS = frozenset(
    {
        "GRAPH",
        "WITH",
        "INTO",
        "USING",
        "NAMED",
        "FROM",
        "TO",
        "DROP",
        "CLEAR",
        "CREATE",
        "MOVE",
        "COPY",
        "ADD",
    }
)


def update_graphs(text: str) -> tuple[list[str], bool]:
    """The graph IRIs an update names, and whether it may touch others (a variable, ``ALL``).

    Raises
    ------
    QueryRefused
        For ``LOAD`` (a fetch) and ``SERVICE`` (a federated call).

    Examples
    --------
    >>> update_graphs("INSERT DATA { GRAPH <http://e/g> { <http://e/s> <http://e/p> 1 } }")
    (['http://e/g'], False)
    >>> update_graphs("DELETE WHERE { GRAPH ?g { ?s ?p ?o } }")[1]
    True
    """
    if inspect_query(text).services:
        raise QueryRefused("SERVICE is not allowed in an update")
    named: list[str] = []
    open_ended = False
    prefixes: dict[str, str] = {}
    found = [t for t in tokens(text) if t.kind not in ("comment", "space")]
    for index, token in enumerate(found):
        word = token.text.upper() if token.kind == "word" else ""
        if word == "LOAD":
            raise QueryRefused(
                "LOAD is not allowed: it would fetch a document; send the data with PUT or INSERT DATA"
            )
        if word == "PREFIX" and index + 2 < len(found) and found[index + 2].kind == "iri":
            prefixes[found[index + 1].text[:-1]] = found[index + 2].text[1:-1]
        if word in _GRAPH_WORDS or word in ("ALL", "NAMED", "DEFAULT"):
            if word in ("ALL", "NAMED", "DEFAULT") and found[index - 1].text.upper() in (
                "DROP",
                "CLEAR",
                "SILENT",
            ):
                open_ended = True
            following = found[index + 1] if index + 1 < len(found) else None
            if following is not None and following.text.upper() in ("SILENT", "GRAPH"):
                following = found[index + 2] if index + 2 < len(found) else None
            if following is None:
                continue
            if following.kind == "iri":
                named.append(following.text[1:-1])
            elif following.kind == "pname":
                prefix, _, local = following.text.partition(":")
                if prefix in prefixes:
                    named.append(prefixes[prefix] + local)
                else:
                    open_ended = True
            elif following.text.startswith(("?", "$")):
                open_ended = True
    return list(dict.fromkeys(named)), open_ended


def update_change(store: Store, text: str, base: str | None = None, seconds: float | None = None) -> Change:
    """The change a SPARQL Update makes, found by running it on an in-memory copy.

    With ``seconds``, the update runs in a process of its own that is killed at that time limit
    (:mod:`coopgraph.gate.update_run`), so that no update holds the write lock for long.

    The copy holds the graphs the update names (every writable graph when it names a graph by
    a variable or says ``ALL``); the graphs whose content differs afterwards are the change.

    Raises
    ------
    QueryRefused
        ``LOAD``, ``SERVICE``.
    QueryError
        The update does not parse or fails.
    QueryTimeout
        It ran longer than ``seconds``.
    ParameterError
        The update writes into the default graph (writes must name their graph).
    Forbidden
        The update changes a protected graph.
    """
    named, open_ended = update_graphs(text)
    present = store.named_graphs()
    graphs = (
        [g for g in present if g not in PROTECTED_GRAPHS]
        if open_ended
        else [g for g in named if g in present]
    )
    before: dict[str, set[ox.Triple]] = {}
    quads: list[ox.Quad] = []
    for graph in graphs:
        found = list(store.quads(graph))
        before[graph] = {q.triple for q in found}
        quads.extend(found)
    data = ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b""
    try:
        if seconds is None:
            after_quads, names = apply_update(data, graphs, text, base)
        else:
            after_quads, names = run_update(data, graphs, text, base, seconds)
    except UpdateFailed as exc:
        raise QueryError(exc.message, line=exc.line, column=exc.column) from exc
    except UpdateTimedOut as exc:
        raise QueryTimeout(seconds or 0.0) from exc
    copy = ox.Store()
    for name in names:
        copy.add_graph(ox.NamedNode(name))
    if after_quads:  # parsed, not loaded: a load would give the blank nodes new labels
        copy.extend(ox.parse(after_quads, format=ox.RdfFormat.N_QUADS))
    if next(iter(copy.quads_for_pattern(None, None, None, ox.DefaultGraph())), None) is not None:
        raise ParameterError(
            "update", "it writes into the default graph: name the graph (GRAPH <iri> { ... })"
        )
    after: dict[str, set[ox.Triple]] = {}
    for quad in copy.quads_for_pattern(None, None, None, None):
        after.setdefault(str(quad.graph_name.value), set()).add(quad.triple)  # type: ignore[union-attr]
    existing = {g.value for g in copy.named_graphs() if isinstance(g, ox.NamedNode)}
    change = Change("UPDATE", {})
    for graph in sorted(set(before) | set(after) | existing):
        old, new = before.get(graph, set()), after.get(graph, set())
        gone = graph not in existing
        if old == new and not gone and graph in present:
            continue
        if gone and graph not in present:
            continue
        check_graph_name(graph)
        change.graphs[graph] = None if gone else sorted(new, key=str)
        change.added += len(new - old)
        change.removed += len(old - new)
    return change


def _to_rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise InputError("RDF-star quoted triples are not accepted", BODY)


def to_rdflib(triples: Iterable[ox.Triple], into: Graph | None = None) -> Graph:
    """The triples as an rdflib graph (the validator's model).

    >>> len(to_rdflib([ox.Triple(ox.NamedNode("http://e/s"), ox.NamedNode("http://e/p"), ox.Literal("o"))]))
    1
    """
    graph = into if into is not None else Graph()
    for t in triples:
        graph.add((_to_rdflib(t.subject), _to_rdflib(t.predicate), _to_rdflib(t.object)))
    return graph


_CONTEXT_PREDICATES = frozenset({str(RDF.type), str(RDFS.label), str(SKOS.prefLabel)})


def check_change(store: Store, change: Change, settings: Settings, lang: str = "en") -> ValidationReport:
    """Validate the new content of a change, with what the rest of the store says of the nodes it names.

    Parameters
    ----------
    store
        The store the change would be committed to (read only).
    change
        The change.
    settings
        Where the ontology and the shapes are.
    lang
        Language of the messages.

    Returns
    -------
    ValidationReport
        The results on the nodes the new content describes.
    """
    new_content = [t for triples in change.graphs.values() if triples for t in triples]
    candidate = to_rdflib(new_content)
    described = {s for s in candidate.subjects() if isinstance(s, URIRef)}
    named = described | {o for o in candidate.objects() if isinstance(o, URIRef)}
    data = Graph()
    data += candidate
    context = _context_triples(store, set(change.graphs), named, described)
    # a node described elsewhere too is validated whole, so what its other description links to
    # needs its types and labels as well (sh:class on cg:partOf, cg:hasOutcome...)
    linked = {
        URIRef(t.object.value)
        for t in context
        if isinstance(t.object, ox.NamedNode)
        and isinstance(t.subject, ox.NamedNode)
        and URIRef(t.subject.value) in described
    }
    if linked - named:
        context = _context_triples(store, set(change.graphs), named | linked, described)
    to_rdflib(context, data)
    about: set[Node] = set(described) | {s for s in candidate.subjects() if isinstance(s, BNode)}
    return validate_graph(
        data, settings, lang, lines=change.lines, files=[BODY], checked=candidate, about=about
    )


def _context_triples(
    store: Store, changed: set[str], named: set[URIRef], described: set[URIRef]
) -> list[ox.Triple]:
    """What the graphs a change leaves alone say of the nodes it names.

    The reference graph whole; for a node the change names, its types and labels; for a node it
    describes, its whole description, blank nodes included (so a node described in several
    graphs is validated whole).
    """
    kept: list[ox.Triple] = []
    blanks: set[ox.BlankNode] = set()
    others: list[ox.Quad] = []
    for quad in store.quads():
        graph = quad.graph_name.value  # type: ignore[union-attr]
        if graph in changed or graph in PROTECTED_GRAPHS:
            continue
        subject = quad.subject
        node = URIRef(subject.value) if isinstance(subject, ox.NamedNode) else None
        whole = graph == str(REFERENCE_GRAPH) or node in described
        if whole or (node in named and quad.predicate.value in _CONTEXT_PREDICATES):
            kept.append(quad.triple)
            if isinstance(quad.object, ox.BlankNode):
                blanks.add(quad.object)
        elif isinstance(subject, ox.BlankNode):
            others.append(quad)
    while blanks and others:
        found = [q for q in others if q.subject in blanks]
        others = [q for q in others if q.subject not in blanks]
        kept.extend(q.triple for q in found)
        blanks = {q.object for q in found if isinstance(q.object, ox.BlankNode)}
    return kept


def refuse_unless_conforms(report: ValidationReport) -> None:
    """Raise :class:`ValidationFailed` with the report as data when it does not conform."""
    if not report.conforms:
        raise ValidationFailed(
            f"the data does not conform: {report.violations} violation(s); nothing was written",
            report=report_dict(report),
        )


def report_dict(report: ValidationReport) -> dict[str, object]:
    """The report as plain data: conforms, counts and results grouped by node."""
    groups: dict[str, dict[str, object]] = {}
    for r in report.results:
        group = groups.setdefault(
            r.focus_node, {"node": r.focus_node, "label": r.focus_label, "line": r.line, "results": []}
        )
        if group["line"] is None and r.line is not None:
            group["line"] = r.line
        results = group["results"]
        assert isinstance(results, list)
        results.append(
            {
                "severity": r.severity,
                "path": r.path,
                "value": r.value,
                "message": r.message,
                "constraint": r.constraint,
                "shape": r.source_shape,
                "line": r.line,
            }
        )
    return {
        "conforms": report.conforms,
        "violations": report.violations,
        "warnings": report.warnings,
        "nodes": list(groups.values()),
    }


def commit_change(store: Store, change: Change) -> dict[str, int]:
    """Replace the graphs of a (checked) change in the store, in one transaction.

    Returns the number of triples each graph holds afterwards (0 for a removed graph).
    """
    graphs: Mapping[str, Sequence[ox.Triple] | None] = change.graphs
    return store.put_graphs(graphs)
