"""The gate every write goes through: a change is applied to a copy, checked, and committed only
if it conforms.

- :mod:`~coopgraph.gate.terms`: every class and property used is declared (in the ontology or a
  vocabulary it aligns to), and every date, year and amount has a well-formed datatype;
- :mod:`~coopgraph.gate.change`: a candidate change (Graph Store Protocol, SPARQL Update) run on
  a copy of the graphs it touches, validated with the shapes and the checks above, then
  committed to the store in one transaction, logged in the audit log.

This package imports nothing at load time, so :mod:`coopgraph.validation` can use
:mod:`~coopgraph.gate.terms` while :mod:`~coopgraph.gate.change` uses validation.
"""
