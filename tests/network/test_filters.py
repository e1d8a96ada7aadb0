"""The filter table: every declared filter is read by :meth:`Filters.parse`, under its name."""

from __future__ import annotations

import pytest

from coopgraph.errors import ParameterError
from coopgraph.network.filters import FILTER_FIELDS, Filters, filters_for

VALUES = {
    "from": "2010",
    "to": "2020",
    "source": "doc1",
    "modality": "south-south",
    "sector": "audiovisual",
    "actor_sector": "public-sector",
    "article": "12",
    "kind": ["country"],
}


def test_the_table_names_every_filter_once() -> None:
    assert sorted(f.parameter for f in FILTER_FIELDS) == sorted(VALUES)
    assert len({f.name for f in FILTER_FIELDS}) == len(FILTER_FIELDS)
    assert [f.parameter for f in FILTER_FIELDS if f.repeatable] == ["kind"]


@pytest.mark.parametrize("field", FILTER_FIELDS, ids=lambda f: f.parameter)
def test_every_declared_filter_is_parsed(field) -> None:
    assert Filters.parse({field.parameter: VALUES[field.parameter]}) != Filters()


@pytest.mark.parametrize("field", FILTER_FIELDS, ids=lambda f: f.parameter)
def test_a_bad_value_names_the_declared_parameter(field) -> None:
    with pytest.raises(ParameterError) as info:
        Filters.parse({field.parameter: "<not a value>"})
    assert info.value.name == field.parameter


def test_kinds_depend_on_the_projection() -> None:
    assert filters_for("funding", {"kind": "fund,activity"}).kinds == ("activity", "fund")
    with pytest.raises(ParameterError):
        filters_for("bipartite", {"kind": "fund"})
