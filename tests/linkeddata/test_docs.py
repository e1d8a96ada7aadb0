"""Tests of coopgraph.linkeddata.docs: the ontology and shapes documentation."""

from __future__ import annotations

from coopgraph.config import Settings
from coopgraph.linkeddata.docs import OntologyDoc, ShapesDoc


def test_ontology_and_shapes_docs(settings: Settings) -> None:
    doc = OntologyDoc(settings.ontology_dir)
    country = next(c for c in doc.classes if c.name == "Country")
    assert "País" in country.labels.values()
    assert ("Subclass of", sorted(country.relations[0][1])) == country.relations[0]
    assert doc.schemes and all(s.children for s in doc.schemes)
    shapes = ShapesDoc(settings.shapes_dir)
    assert any(p["messages"] for s in shapes.shapes for p in s.properties)
