"""The HTML pages: a resource, an unknown IRI, the home page, ``/def`` and ``/shapes``.

Each page is built from data already read from the store (see :mod:`coopgraph.linkeddata.facts`)
by small named functions, one per section, and rendered with the one Jinja environment
(:data:`coopgraph.templating.TEMPLATES`). Links to canonical IRIs point at this service (``base``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import pyoxigraph as ox
from rdflib.namespace import PROV, RDF, XSD

from coopgraph.linkeddata.dataset import DATASET_DESCRIPTION, DUMPS
from coopgraph.linkeddata.describe import Description, ResourceNotFound, term_value
from coopgraph.linkeddata.docs import OntologyDoc, ShapesDoc
from coopgraph.linkeddata.facts import Row
from coopgraph.linkeddata.formats import RESOURCE_MEDIA_TYPES
from coopgraph.linkeddata.labels import graph_name, local_url, pick_label, qname
from coopgraph.namespaces import CANONICAL_BASE, CG, SHAPES_IRI
from coopgraph.negotiation import HTML
from coopgraph.templating import TEMPLATES

Subjects = Mapping[ox.NamedNode | ox.BlankNode, list[ox.Quad]]
"""Outgoing statements by subject (see :meth:`Description.by_subject`)."""

_PLAIN_DATATYPES = frozenset({str(XSD.string), str(RDF.langString)})
_MAX_BNODE_DEPTH = 3


def render(template: str, base: str, **context: Any) -> str:
    """Render a page template with what every page uses: ``base``, ``local()`` and ``qname()``.

    Examples
    --------
    >>> "coopgraph.css" in render("notfound.html", "http://h/", title="Not found", iri="x", suggestions=[])
    True
    """
    return TEMPLATES.get_template(template).render(
        base=base, local=lambda iri: local_url(iri, base), qname=qname, **context
    )


@dataclass(frozen=True)
class Linker:
    """Turns nodes into what the resource page shows: links with labels, literals, blank nodes.

    Attributes
    ----------
    labels
        Labels by node IRI and language tag (see :meth:`Description.labels`).
    languages
        Language tags, best first.
    base
        The service's base URL.

    Examples
    --------
    >>> Linker({}, [], "http://h/").link("https://w3id.org/coopgraph/def#Country")["href"]
    'http://h/def#Country'
    """

    labels: Mapping[str, dict[str, str]]
    languages: Sequence[str]
    base: str

    def link(self, iri: str) -> dict[str, Any]:
        """A link to ``iri``: its ``href`` here, its ``label`` in the best language, its ``qname``."""
        text = pick_label(self.labels.get(iri, {}), self.languages)
        return {
            "iri": iri,
            "href": local_url(iri, self.base),
            "label": text or qname(iri),
            "qname": qname(iri),
        }

    def value(self, term: Any, by_subject: Subjects, depth: int = 0) -> dict[str, Any]:
        """An object shown as a link, a literal with its tag, or a blank node's own rows."""
        if isinstance(term, ox.NamedNode):
            return {"kind": "iri", **self.link(term.value)}
        if isinstance(term, ox.BlankNode):
            rows = (
                [
                    {
                        "predicate": self.link(q.predicate.value),
                        "value": self.value(q.object, by_subject, depth + 1),
                    }
                    for q in by_subject.get(term, [])
                ]
                if depth < _MAX_BNODE_DEPTH
                else []
            )
            return {"kind": "bnode", "rows": rows}
        datatype = term.datatype.value if term.datatype else ""
        shown = "" if datatype in _PLAIN_DATATYPES else qname(datatype)
        return {"kind": "literal", "text": term.value, "lang": term.language or "", "datatype": shown}


def property_rows(description: Description, by_subject: Subjects, linker: Linker) -> list[dict[str, Any]]:
    """The resource's properties, each with its values and their source graphs; types first.

    Qualified derivations are left out: they are shown with the sources.
    """
    grouped: dict[str, dict[str, Any]] = {}
    for quad in by_subject.get(description.iri, []):
        if quad.predicate.value == str(PROV.qualifiedDerivation):
            continue
        entry = grouped.setdefault(
            quad.predicate.value, {"predicate": linker.link(quad.predicate.value), "values": {}}
        )
        shown = entry["values"].setdefault(
            quad.object, {"value": linker.value(quad.object, by_subject), "graphs": []}
        )
        name = graph_name(term_value(quad.graph_name))
        if name not in shown["graphs"]:
            shown["graphs"].append(name)
    return sorted(
        ({"predicate": e["predicate"], "objects": list(e["values"].values())} for e in grouped.values()),
        key=lambda e: (e["predicate"]["iri"] != str(RDF.type), e["predicate"]["label"].lower()),
    )


def incoming_rows(description: Description, linker: Linker) -> list[dict[str, Any]]:
    """The statements pointing at the resource, a blank node's shown through the node holding it."""
    incoming: dict[tuple[str, str, str], list[str]] = {}
    holders = {q.object: q for q in description.incoming if isinstance(q.object, ox.BlankNode)}
    for quad in description.incoming:
        if quad.object != description.iri:
            continue
        if isinstance(quad.subject, ox.BlankNode):
            held = holders.get(quad.subject)
            if held is None:
                continue
            key = (term_value(held.subject), held.predicate.value, quad.predicate.value)
        else:
            key = (term_value(quad.subject), quad.predicate.value, "")
        names = incoming.setdefault(key, [])
        if graph_name(term_value(quad.graph_name)) not in names:
            names.append(graph_name(term_value(quad.graph_name)))
    rows: list[dict[str, Any]] = [
        {
            "subject": linker.link(s),
            "predicate": linker.link(p),
            "via": linker.link(v) if v else None,
            "graphs": g,
        }
        for (s, p, v), g in incoming.items()
    ]
    rows.sort(key=lambda r: (r["predicate"]["label"].lower(), r["subject"]["label"].lower()))
    return rows


def derivation_row(node: ox.BlankNode, by_subject: Subjects, linker: Linker) -> dict[str, Any]:
    """One qualified derivation: the source entity, and the locators and quotes in it."""
    held = by_subject.get(node, [])
    entities = [q.object for q in held if q.predicate.value == str(PROV.entity)]
    entity = entities[-1] if entities else None
    return {
        "entity": linker.link(entity.value) if isinstance(entity, ox.NamedNode) else None,
        "locator": [term_value(q.object) for q in held if q.predicate.value == str(CG.locator)],
        "quote": [term_value(q.object) for q in held if q.predicate.value == str(CG.quote)],
    }


def source_rows(
    description: Description,
    by_subject: Subjects,
    graph_sources: Mapping[str, tuple[str, str]],
    linker: Linker,
) -> list[dict[str, Any]]:
    """The named graphs the description comes from, with their source documents and derivations."""
    sources: dict[str, dict[str, Any]] = {}
    for quad in description.statements + description.incoming:
        name = term_value(quad.graph_name)
        if name not in sources:
            source = graph_sources.get(name)
            sources[name] = {
                "graph": graph_name(name),
                "graph_iri": name,
                "source": linker.link(source[0]) | {"label": source[1] or qname(source[0])}
                if source
                else None,
                "derivations": [],
            }
    for quad in by_subject.get(description.iri, []):
        if quad.predicate.value == str(PROV.qualifiedDerivation) and isinstance(quad.object, ox.BlankNode):
            sources[term_value(quad.graph_name)]["derivations"].append(
                derivation_row(quad.object, by_subject, linker)
            )
    return sorted(sources.values(), key=lambda s: s["graph"])


def partner_rows(partners: Sequence[Row], linker: Linker) -> list[dict[str, Any]]:
    """Partners with the number of shared activities; the query's label when the page has none."""
    rows = []
    for r in partners:
        partner = linker.link(r["partner"].value)
        if "label" in r and not linker.labels.get(r["partner"].value):
            partner["label"] = r["label"].value
        rows.append(
            {
                "partner": partner,
                "activities": int(r["activities"].value),
                "example": linker.link(r["example"].value) if "example" in r else None,
            }
        )
    return rows


def centrality_rows(centrality: Sequence[Row]) -> list[dict[str, Any]]:
    """Network measurements: projection, measure, value and rank, labelled where labels exist."""

    def labelled(r: Row, node: str) -> str:
        return r[f"{node}Label"].value if f"{node}Label" in r else qname(r[node].value)

    return [
        {
            "measure": labelled(r, "measure"),
            "projection": labelled(r, "projection") if "projection" in r else "",
            "value": r["value"].value,
            "rank": r["rank"].value if "rank" in r else "",
        }
        for r in centrality
    ]


def format_links(iri: str, base: str) -> list[dict[str, str]]:
    """Links to the resource's RDF documents here, one per format.

    Examples
    --------
    >>> format_links("https://w3id.org/coopgraph/id/party/x", "http://h/")[0]["href"]
    'http://h/id/party/x.ttl'
    """
    path = iri.removeprefix(CANONICAL_BASE)
    return [
        {"name": m.name, "media_type": m.media_type, "href": f"{base}{path}.{m.extension}"}
        for m in RESOURCE_MEDIA_TYPES
        if m is not HTML
    ]


def resource_page(
    description: Description,
    base: str,
    languages: Sequence[str],
    graph_sources: Mapping[str, tuple[str, str]],
    partners: Sequence[Row] = (),
    centrality: Sequence[Row] = (),
    profile: Mapping[str, Any] | None = None,
) -> str:
    """The HTML page of a resource, labels in the first of ``languages`` that has one.

    Parameters
    ----------
    description
        What the store says about the resource.
    base
        The service's base URL.
    languages
        Language tags, best first (from ``Accept-Language``).
    graph_sources
        Source document ``(iri, label)`` of each named graph.
    partners, centrality
        Rows of the ``partners`` and ``centrality`` queries, if the resource has any.
    profile
        The resource's profile (see :func:`coopgraph.linkeddata.profile.build_profile`): its
        summary, timeline, money, articles, participants and results come first on the page.
    """
    iri = description.iri.value
    labels = description.labels()
    linker = Linker(labels, list(languages), base)
    by_subject = description.by_subject()
    own = labels.get(iri, {})
    title = pick_label(own, linker.languages) or qname(iri)
    return render(
        "resource.html",
        base,
        title=title,
        iri=iri,
        lang=next((lang for lang in (*linker.languages, "en") if lang in own), "en"),
        other_labels=sorted((k, v) for k, v in own.items() if v != title),
        types=[linker.link(t) for t in description.types(iri)],
        properties=property_rows(description, by_subject, linker),
        incoming=incoming_rows(description, linker),
        sources=source_rows(description, by_subject, graph_sources, linker),
        formats=format_links(iri, base),
        sparql=f"{base}sparql?query=" + quote(f"DESCRIBE {description.iri}", safe=""),
        partners=partner_rows(partners, linker),
        centrality=centrality_rows(centrality),
        profile=profile,
        profile_json=local_url(iri, base) + "?_profile=json",
    )


def not_found_page(error: ResourceNotFound, base: str) -> str:
    """The HTML page of an unknown IRI, with suggestions."""
    return render(
        "notfound.html",
        base,
        title="Not found",
        iri=error.iri,
        suggestions=[
            {"href": local_url(i, base), "iri": i, "label": label} for i, label in error.suggestions
        ],
    )


def home_page(
    base: str,
    graph_sizes: Mapping[str, int],
    graph_sources: Mapping[str, tuple[str, str]],
    classes: Sequence[dict[str, Any]],
    articles: Sequence[tuple[str, str]],
    entry_points: Sequence[tuple[str, Sequence[tuple[str, str]]]],
) -> str:
    """The home page: what the graph holds and where to start.

    Parameters
    ----------
    base
        The service's base URL.
    graph_sizes
        Triples per named graph.
    graph_sources
        Source document ``(iri, label)`` of each named graph.
    classes
        Instances per class (see :func:`facts.class_counts`).
    articles
        The Convention's articles ``(iri, label)``.
    entry_points
        ``(title, instances)`` lists to start browsing from.
    """
    graphs = [
        {"name": graph_name(graph), "iri": graph, "triples": triples, "source": graph_sources.get(graph)}
        for graph, triples in graph_sizes.items()
    ]
    return render(
        "home.html",
        base,
        title="coopgraph",
        description=DATASET_DESCRIPTION,
        graphs=graphs,
        total=sum(graph_sizes.values()),
        classes=classes,
        articles=articles,
        entry_points=entry_points,
        dumps=list(DUMPS),
    )


def def_page(base: str, ontology: OntologyDoc, examples: Mapping[str, Sequence[tuple[str, str]]]) -> str:
    """The ontology documentation page, with ``examples`` of each class's use in the data."""
    return render(
        "def.html",
        base,
        title=ontology.title,
        doc=ontology,
        examples=examples,
        curie=ontology.curie,
        own=str(CG),
    )


def shapes_page(base: str, shapes: ShapesDoc) -> str:
    """The SHACL shapes documentation page."""
    return render("shapes.html", base, title="coopgraph shapes", doc=shapes, shapes_iri=SHAPES_IRI)
