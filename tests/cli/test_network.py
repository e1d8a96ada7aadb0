"""``coopgraph network ...``: every command takes the filters of the API, and applies them."""

from __future__ import annotations

import json
from typing import Any

import pytest
from typer.main import get_command

from coopgraph.cli.app import app
from coopgraph.network.filters import FILTER_FIELDS
from support.commands import coopgraph

FILTERED = ("centrality", "communities", "brokers", "suggest", "export", "plot")


@pytest.mark.parametrize("name", FILTERED)
def test_every_filter_is_an_option_of_the_command(name: str) -> None:
    network: Any = get_command(app).commands["network"]  # type: ignore[attr-defined]
    options = {o: p for p in network.commands[name].params for o in p.opts}
    for field in FILTER_FIELDS:
        assert field.option in options, field.option
        assert options[field.option].help == field.help
        assert options[field.option].multiple is field.repeatable


def test_kind_filter_keeps_countries_only() -> None:
    result = coopgraph("network", "centrality", "co-participation", "--kind", "country", "--format", "json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert rows
    assert {row["kind"] for row in rows} == {"country"}


def test_a_bad_filter_exits_2_naming_the_parameter() -> None:
    result = coopgraph("network", "brokers", "co-participation", "--from", "last year")
    assert result.returncode == 2
    assert "error: parameter 'from': 'last year' is not a year" in result.stderr
    assert "Traceback" not in result.stderr
