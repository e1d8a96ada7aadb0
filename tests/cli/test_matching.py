"""``coopgraph match``: short keys or IRIs, table or JSON, a bad value names its option."""

from __future__ import annotations

import json

from coopgraph.namespaces import resource_iri
from support.commands import coopgraph


def test_match_json_lists_ranked_matches_with_reasons() -> None:
    result = coopgraph(
        "match", "--sector", "audiovisual", "--article", "14", "--top", "5", "--format", "json"
    )
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert [r["rank"] for r in rows] == [1, 2, 3, 4, 5]
    assert all(r["explanation"] for r in rows)
    assert str(resource_iri("party", "mexico")) in {r["iri"] for r in rows}


def test_short_keys_and_iris_give_the_same_answer() -> None:
    short = coopgraph("match", "--sector", "audiovisual", "--country", "mexico", "--format", "json")
    full = coopgraph(
        "match",
        "--sector",
        str(resource_iri("cultural-sector", "audiovisual")),
        "--country",
        str(resource_iri("party", "mexico")),
        "--format",
        "json",
    )
    assert short.returncode == full.returncode == 0, short.stderr + full.stderr
    assert json.loads(short.stdout) == json.loads(full.stdout)


def test_table_has_a_header() -> None:
    result = coopgraph("match", "--sector", "music")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0].split() == ["rank", "label", "kind", "score", "explanation"]


def test_unknown_value_names_the_field() -> None:
    result = coopgraph("match", "--sector", "no-such-sector")
    assert result.returncode == 2
    assert "parameter 'sectors'" in result.stderr
    result = coopgraph("match", "--top", "1000")
    assert result.returncode == 2 and "'top'" in result.stderr
