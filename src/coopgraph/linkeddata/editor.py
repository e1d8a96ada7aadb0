"""What the SPARQL editor of ``/sparql`` is built from: prefixes, examples and completions.

The editor (YASGUI, in ``static/sparql-editor.js``) asks the service, never an outside host,
for what it completes: the classes and properties the loaded ontology declares
(``queries/internal/editor-vocabulary.rq``) and the published resources by label
(``queries/internal/resource-labels.rq``). Both are read once per store version; a keystroke
is a scan of a small list in Python, so no user text ever reaches query text.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from coopgraph.errors import ParameterError
from coopgraph.linkeddata.labels import pick_label, qname
from coopgraph.namespaces import ID_BASE, PREFIXES
from coopgraph.queries import NamedQuery, QueryCatalogue
from coopgraph.sparqltext import with_values
from coopgraph.store import Store

T = TypeVar("T")
Cached = Callable[[tuple[Hashable, ...], Callable[[], T]], T]

TERM_KINDS = ("class", "property", "resource")
MAX_TEXT = 200
"""Longest text a completion request may search for (characters)."""
MAX_LIMIT = 1000
"""Most completions one request may ask for (the editor loads every class and property at once)."""


def fold(text: str) -> str:
    """``text`` without case, accents or punctuation, for matching what a user types.

    Examples
    --------
    >>> fold("Bogotá, D.C.")
    'bogota d c'
    >>> fold("IBERMÚSICAS")
    'ibermusicas'
    """
    decomposed = unicodedata.normalize("NFKD", text)
    kept = "".join(c if c.isalnum() else " " for c in decomposed if not unicodedata.combining(c))
    return " ".join(kept.casefold().split())


def local_part(text: str) -> str:
    """What to match of a typed term: without ``<>``, a known namespace, prefix or ``id/`` base.

    Examples
    --------
    >>> local_part("cg:Organ"), local_part("<https://w3id.org/coopgraph/id/party/col"), local_part("bogo")
    ('Organ', 'party/col', 'bogo')
    """
    text = text.strip().removeprefix("<").removesuffix(">")
    if text.startswith(ID_BASE):
        return text.removeprefix(ID_BASE)
    for prefix, namespace in PREFIXES.items():
        if text.startswith(namespace):
            return text.removeprefix(namespace)
        if text.startswith(prefix + ":"):
            return text.removeprefix(prefix + ":")
    return text


def example_text(query: NamedQuery) -> str:
    """The text of a named query as the editor opens it: its summary, its defaults bound.

    The ``#+`` header becomes one comment line; each parameter with a default is bound by a
    ``VALUES`` block of RDF terms (:func:`coopgraph.sparqltext.with_values`), so the example
    runs as it is and the user sees which variable to change.

    Examples
    --------
    >>> from coopgraph.queries import parse_query_text
    >>> q = parse_query_text("q", "#+ summary: Things\\n#+ defaults:\\n#+   - o: http://e/a\\nSELECT * WHERE { ?s ?p ?_o_iri }")
    >>> print(example_text(q))
    # q: Things
    SELECT * WHERE { VALUES (?_o_iri) { (<http://e/a>) }  ?s ?p ?_o_iri }
    <BLANKLINE>
    """
    defaults = {p.name: p.default for p in query.parameters if p.default is not None}
    body = "\n".join(line for line in query.text.splitlines() if not line.startswith("#+")).strip()
    lines = [f"# {query.name}: {query.summary}"]
    lines += [
        f"# parameter {p.name} (?{p.variable}, {p.type_label}){'' if p.required else ', optional'}"
        for p in query.parameters
        if p.default is None
    ]
    return "\n".join(lines) + "\n" + with_values(body, query.bind(defaults)) + "\n"


def editor_config(catalogue: QueryCatalogue, base: str) -> dict[str, Any]:
    """The editor's configuration: endpoint, prefixes, and one example per public query.

    Parameters
    ----------
    catalogue
        The named queries.
    base
        The public base URL of the service (ends with ``/``).

    Returns
    -------
    dict
        ``endpoint``, ``terms`` (the completion URL), ``prefixes`` (name to IRI) and
        ``examples`` (``name``, ``summary``, ``tags``, ``page``, ``query``), JSON-ready.

    Examples
    --------
    >>> from coopgraph.config import Settings
    >>> config = editor_config(QueryCatalogue(Settings().queries_dir), "http://h/")
    >>> config["prefixes"]["cg"], config["endpoint"]
    ('https://w3id.org/coopgraph/def#', 'http://h/sparql')
    >>> "?_article_iri" in next(e for e in config["examples"] if e["name"] == "activities-by-article")["query"]
    True
    """
    return {
        "endpoint": base + "sparql",
        "terms": base + "api/terms",
        "prefixes": dict(PREFIXES),
        "examples": [
            {
                "name": q.name,
                "summary": q.summary,
                "tags": list(q.tags),
                "page": f"{base}queries/{q.name}",
                "query": example_text(q),
            }
            for q in catalogue.public()
        ],
    }


@dataclass(frozen=True)
class Term:
    """One completion: an IRI, its prefixed name (or the IRI), its labels and their folded forms."""

    iri: str
    kind: str
    short: str
    labels: dict[str, str]
    folded: tuple[str, ...]

    def as_dict(self, languages: Sequence[str]) -> dict[str, str]:
        """The completion as JSON: ``iri``, ``kind``, ``short`` and the label in ``languages``."""
        return {
            "iri": self.iri,
            "kind": self.kind,
            "short": self.short,
            "label": pick_label(self.labels, languages) or self.short,
        }


def _terms(rows: list[dict[str, Any]], kind_of: Callable[[dict[str, Any]], str], key: str) -> list[Term]:
    labels: dict[tuple[str, str], dict[str, str]] = {}
    for row in rows:
        iri = row[key].value
        entry = labels.setdefault((iri, kind_of(row)), {})
        label = row.get("label")
        if label is not None:
            entry.setdefault(getattr(label, "language", None) or "", label.value)
    terms = []
    for (iri, kind), names in sorted(labels.items()):
        short = qname(iri)
        local = short.split(":", 1)[1] if short != iri else iri.removeprefix(ID_BASE)
        folded = (fold(local), *(fold(n) for n in names.values()))
        terms.append(Term(iri, kind, short, names, folded))
    return terms


def vocabulary_terms(store: Store, catalogue: QueryCatalogue) -> list[Term]:
    """The classes and properties of the loaded ontology and vocabularies, in IRI order."""
    rows = store.select_named(catalogue.internal("editor-vocabulary"))
    return _terms(rows, lambda row: row["kind"].value, "term")


def resource_terms(store: Store, catalogue: QueryCatalogue) -> list[Term]:
    """The published resources (under ``id/``) with their labels, in IRI order."""
    rows = store.select_named(catalogue.internal("resource-labels"))
    return _terms(rows, lambda row: "resource", "s")


def check_request(kind: str, text: str, limit: int) -> None:
    """Refuse a completion request the service will not answer, naming the parameter.

    Raises
    ------
    ParameterError
        ``kind`` is unknown, ``q`` too long, or ``limit`` out of range.

    Examples
    --------
    >>> check_request("class", "", 20)
    >>> check_request("sparql", "", 20)
    Traceback (most recent call last):
    ...
    coopgraph.errors.ParameterError: parameter 'kind': one of class, property, resource
    """
    if kind not in TERM_KINDS:
        raise ParameterError("kind", f"one of {', '.join(TERM_KINDS)}")
    if len(text) > MAX_TEXT:
        raise ParameterError("q", f"at most {MAX_TEXT} characters")
    if "\x00" in text:
        raise ParameterError("q", "no NUL character")
    if not 1 <= limit <= MAX_LIMIT:
        raise ParameterError("limit", f"between 1 and {MAX_LIMIT}")


def complete(
    store: Store,
    catalogue: QueryCatalogue,
    cached: Cached[list[Term]],
    kind: str,
    text: str = "",
    limit: int = 20,
    languages: Sequence[str] = (),
) -> dict[str, Any]:
    """Completions of ``kind`` whose name or label contains ``text`` (case, accents ignored).

    Parameters
    ----------
    store, catalogue
        Where the terms are read from.
    cached
        ``cached(key, build)``: a value per store version (the service's ``VersionedCache.get``).
    kind
        ``class``, ``property`` or ``resource``.
    text
        What the user typed: part of a label, of a local name or of an IRI; empty lists all
        classes or properties (the editor loads them at once) but no resource.
    limit
        Most completions returned; those whose name or label starts with ``text`` come first.
    languages
        Preferred label languages, best first.

    Returns
    -------
    dict
        ``kind``, ``q``, ``terms`` (``iri``, ``kind``, ``short``, ``label``) and ``more`` (whether
        more matched than ``limit``).

    Raises
    ------
    ParameterError
        A bad ``kind``, ``q`` or ``limit`` (see :func:`check_request`).
    """
    check_request(kind, text, limit)
    if kind == "resource":
        terms = cached(("editor-resources",), lambda: resource_terms(store, catalogue))
    else:
        everything = cached(("editor-vocabulary",), lambda: vocabulary_terms(store, catalogue))
        terms = [t for t in everything if t.kind == kind]
    wanted = fold(local_part(text))
    if not wanted and kind == "resource":
        matched: list[Term] = []
    elif not wanted:
        matched = terms
    else:
        # exact names first, then names that start with the text, then the rest that contain it
        ranked = [
            (0 if wanted in t.folded else 1 if any(f.startswith(wanted) for f in t.folded) else 2, t)
            for t in terms
            if any(wanted in f for f in t.folded)
        ]
        matched = [t for _, t in sorted(ranked, key=lambda pair: (pair[0], len(pair[1].iri), pair[1].iri))]
    return {
        "kind": kind,
        "q": text,
        "terms": [t.as_dict(languages) for t in matched[:limit]],
        "more": len(matched) > limit,
    }
