"""Small Turtle files for the store tests: a graph, a newer version of it, and a broken one."""

from __future__ import annotations

from pathlib import Path

GRAPH = "https://w3id.org/coopgraph/graph/test"
GOOD = """\
@prefix ex: <https://w3id.org/coopgraph/id/test/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:a rdfs:label "A"@en .
ex:b rdfs:label "B"@en .
"""
NEWER = GOOD + 'ex:c rdfs:label "C"@en .\n'
BROKEN = GOOD + 'ex:c rdfs:label "unterminated .\n'


def write(folder: Path, name: str, text: str) -> Path:
    """Write ``text`` to the file ``name`` in ``folder`` and return its path."""
    path = folder / name
    path.write_text(text, "utf-8")
    return path
