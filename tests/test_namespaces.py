"""The namespace module raises on a misspelled term and builds IRIs by the project's layout."""

from __future__ import annotations

import pytest

from coopgraph.namespaces import CG, graph_iri, resource_iri


def test_misspelled_term_raises() -> None:
    with pytest.raises(AttributeError):
        _ = CG.hasParticpant  # type: ignore[attr-defined]


def test_iri_layout() -> None:
    assert str(CG.Party) == "https://w3id.org/coopgraph/def#Party"
    assert str(resource_iri("party", "colombia")) == "https://w3id.org/coopgraph/id/party/colombia"
    assert str(graph_iri("reference")) == "https://w3id.org/coopgraph/graph/reference"
