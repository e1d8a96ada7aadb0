"""What the review pages show: a submission's content grouped by subject, its minted nodes with
their suggestions, in the interface's languages (``/submissions``, ``/submissions/{id}``)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import pyoxigraph as ox

from coopgraph.contrib.reconcile import LABEL_PROPERTIES, MintedNode, reconcile
from coopgraph.contrib.submissions import Submission
from coopgraph.explore.common import KINDS, fetch_labels
from coopgraph.linkeddata.labels import local_url, pick_label, qname
from coopgraph.queries import QueryCatalogue
from coopgraph.store import Store

TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "list_title": "Submissions",
        "title": "Submission {id}",
        "status": "Status",
        "all": "all",
        "pending": "pending",
        "approved": "approved",
        "rejected": "rejected",
        "withdrawn": "withdrawn",
        "filter": "Show",
        "origin": "From",
        "submitter": "Sent by",
        "created": "Sent",
        "triples": "Statements",
        "reviewer": "Reviewed by",
        "reason": "Reason",
        "none": "No submission.",
        "content": "What would be added",
        "minted": "New nodes and the existing nodes they may be",
        "minted_intro": "For each node the submission adds, choose whether it is new or the same as a node the graph already has: its statements then go to that node, so the graph keeps one node per thing.",
        "new": "New node",
        "same_as": "Same as",
        "score": "score",
        "basis_label": "same label",
        "basis_alias": "same name as an alternative label",
        "basis_acronym": "acronym",
        "same_kind": "same kind",
        "other_kind": "another kind",
        "no_suggestion": "No existing node looks like it.",
        "approve": "Approve and publish",
        "reject": "Reject",
        "reject_reason": "Why is it rejected? (required, the contributor sees it)",
        "withdraw": "Withdraw from the graph",
        "withdraw_reason": "Why? (optional)",
        "graph": "Published as the graph",
        "not_conforms": "The result does not conform; nothing was published",
        "line": "line",
    },
    "es": {
        "list_title": "Contribuciones",
        "title": "Contribución {id}",
        "status": "Estado",
        "all": "todas",
        "pending": "pendiente",
        "approved": "aprobada",
        "rejected": "rechazada",
        "withdrawn": "retirada",
        "filter": "Mostrar",
        "origin": "Origen",
        "submitter": "Enviada por",
        "created": "Enviada",
        "triples": "Enunciados",
        "reviewer": "Revisada por",
        "reason": "Motivo",
        "none": "Ninguna contribución.",
        "content": "Lo que se añadiría",
        "minted": "Nodos nuevos y los nodos existentes que pueden ser",
        "minted_intro": "Para cada nodo que añade la contribución, elija si es nuevo o el mismo que un nodo que el grafo ya tiene: sus enunciados pasan entonces a ese nodo, y el grafo conserva un nodo por cosa.",
        "new": "Nodo nuevo",
        "same_as": "El mismo que",
        "score": "puntuación",
        "basis_label": "misma etiqueta",
        "basis_alias": "mismo nombre que una etiqueta alternativa",
        "basis_acronym": "sigla",
        "same_kind": "mismo tipo",
        "other_kind": "otro tipo",
        "no_suggestion": "Ningún nodo existente se le parece.",
        "approve": "Aprobar y publicar",
        "reject": "Rechazar",
        "reject_reason": "¿Por qué se rechaza? (obligatorio, el contribuyente lo verá)",
        "withdraw": "Retirar del grafo",
        "withdraw_reason": "¿Por qué? (opcional)",
        "graph": "Publicada como el grafo",
        "not_conforms": "El resultado no es conforme; no se publicó nada",
        "line": "línea",
    },
    "fr": {
        "list_title": "Contributions",
        "title": "Contribution {id}",
        "status": "État",
        "all": "toutes",
        "pending": "en attente",
        "approved": "approuvée",
        "rejected": "rejetée",
        "withdrawn": "retirée",
        "filter": "Afficher",
        "origin": "Origine",
        "submitter": "Envoyée par",
        "created": "Envoyée",
        "triples": "Énoncés",
        "reviewer": "Relue par",
        "reason": "Motif",
        "none": "Aucune contribution.",
        "content": "Ce qui serait ajouté",
        "minted": "Nouveaux nœuds et les nœuds existants qu'ils peuvent être",
        "minted_intro": "Pour chaque nœud que la contribution ajoute, choisissez s'il est nouveau ou le même qu'un nœud que le graphe a déjà : ses énoncés vont alors à ce nœud, et le graphe garde un nœud par chose.",
        "new": "Nouveau nœud",
        "same_as": "Le même que",
        "score": "score",
        "basis_label": "même libellé",
        "basis_alias": "même nom qu'un libellé alternatif",
        "basis_acronym": "sigle",
        "same_kind": "même type",
        "other_kind": "autre type",
        "no_suggestion": "Aucun nœud existant ne lui ressemble.",
        "approve": "Approuver et publier",
        "reject": "Rejeter",
        "reject_reason": "Pourquoi est-elle rejetée ? (obligatoire, le contributeur le verra)",
        "withdraw": "Retirer du graphe",
        "withdraw_reason": "Pourquoi ? (facultatif)",
        "graph": "Publiée comme le graphe",
        "not_conforms": "Le résultat n'est pas conforme ; rien n'a été publié",
        "line": "ligne",
    },
}
"""The words of the review pages per language."""


def _term(
    term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple,
    names: dict[str, dict[str, str]],
    base: str,
    languages: Sequence[str],
) -> dict[str, Any]:
    if isinstance(term, ox.NamedNode):
        label = pick_label(names.get(term.value, {}), languages)
        return {"iri": term.value, "url": local_url(term.value, base), "label": label or qname(term.value)}
    if isinstance(term, ox.BlankNode):
        return {"blank": term.value, "label": f"_:{term.value}"}
    if isinstance(term, ox.Literal):
        return {
            "value": term.value,
            "language": term.language or None,
            "datatype": qname(term.datatype.value),
        }
    return {"label": str(term)}


def content_groups(
    store: Store,
    catalogue: QueryCatalogue,
    triples: Sequence[ox.Triple],
    base: str,
    languages: Sequence[str],
) -> list[dict[str, Any]]:
    """The triples grouped by subject, each subject and object with its label (from the content or the store).

    Returns
    -------
    list of dict
        Per subject, in the content's order: ``subject`` and its ``statements`` (``predicate``
        and ``object``, each with ``label``).
    """
    names: dict[str, dict[str, str]] = defaultdict(dict)
    known = fetch_labels(store, catalogue).preferred
    for iri, by_language in known.items():
        names[iri].update(by_language)
    for t in triples:
        if (
            t.predicate.value in LABEL_PROPERTIES
            and isinstance(t.subject, ox.NamedNode)
            and isinstance(t.object, ox.Literal)
        ):
            names[t.subject.value].setdefault((t.object.language or "").lower(), t.object.value)
    groups: dict[str, dict[str, Any]] = {}
    for t in triples:
        key = str(t.subject)
        group = groups.get(key)
        if group is None:
            group = groups[key] = {"subject": _term(t.subject, names, base, languages), "statements": []}
        predicate = {"iri": t.predicate.value, "label": qname(t.predicate.value)}
        group["statements"].append(
            {"predicate": predicate, "object": _term(t.object, names, base, languages)}
        )
    return list(groups.values())


def minted_dicts(minted: Sequence[MintedNode], languages: Sequence[str]) -> list[dict[str, Any]]:
    """The minted nodes as plain data, with their kinds named in the page's language."""
    found = []
    for node in minted:
        data = node.as_dict()
        data["kind_label"] = KINDS[node.kind].title(languages) if node.kind in KINDS else node.kind
        found.append(data)
    return found


def submission_view(
    store: Store,
    catalogue: QueryCatalogue,
    submission: Submission,
    triples: Sequence[ox.Triple],
    base: str,
    languages: Sequence[str],
) -> dict[str, Any]:
    """What ``/submissions/{id}`` shows, as JSON: the record, the content by subject and, while it is
    pending, the minted nodes with their suggestions."""
    minted = reconcile(store, catalogue, triples, languages) if submission.status == "pending" else []
    return {
        "submission": submission.as_dict(),
        "content": content_groups(store, catalogue, triples, base, languages),
        "minted": minted_dicts(minted, languages),
    }
