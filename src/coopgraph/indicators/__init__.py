"""Indicators of cooperation (``/indicators``) and the completeness of what the graph records.

The facts are read with ``queries/internal/indicators-*.rq`` once per store version (see
:func:`coopgraph.explore.common.per_version`); the figures for the whole graph, a country or a
programme, and the completeness scores, are computed in Python over them.
"""

from __future__ import annotations

from coopgraph.indicators.completeness import FIELDS, completeness
from coopgraph.indicators.facts import IndicatorFacts, indicator_facts
from coopgraph.indicators.figures import Scope, activities_in, figures, scope_for

__all__ = [
    "FIELDS",
    "IndicatorFacts",
    "Scope",
    "activities_in",
    "completeness",
    "figures",
    "indicator_facts",
    "scope_for",
]
