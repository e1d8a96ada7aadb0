"""Completeness of the periodic-report fields: the two entries, actors, rankings, bad input."""

from __future__ import annotations

import pytest

from coopgraph.errors import ParameterError
from coopgraph.indicators import IndicatorFacts, completeness, indicator_facts
from coopgraph.indicators.completeness import FIELD_NAMES, csv_rows, score
from coopgraph.namespaces import resource_iri
from coopgraph.queries import QueryCatalogue
from coopgraph.store import EmbeddedStore

BASE = "http://coopgraph.test/"
MEXICO_ENTRY = str(resource_iri("programme", "mexico-iberoamerican-regional-programmes"))
COLOMBIA_ENTRY = str(resource_iri("programme", "colombia-bilateral-cultural-cooperation"))
UNTYPED = """PREFIX cg: <https://w3id.org/coopgraph/def#>
SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {
  ?p cg:hasParticipant ?x .
  FILTER(?p = <%s>)
  ?x a cg:Organisation .
  FILTER NOT EXISTS { ?x cg:sector [] }
}"""
EVALUATED = """PREFIX cg: <https://w3id.org/coopgraph/def#>
SELECT DISTINCT ?entry WHERE {
  VALUES ?entry { <%s> <%s> }
  ?part (cg:partOf|cg:subEventOf)* ?entry .
  ?part cg:evaluation|cg:evaluationConclusion ?said .
}"""


@pytest.fixture(scope="module")
def facts(project_store: EmbeddedStore, catalogue: QueryCatalogue) -> IndicatorFacts:
    return indicator_facts(project_store, catalogue)


@pytest.fixture(scope="module")
def data(facts: IndicatorFacts) -> dict:
    return completeness(facts, ["en"], BASE)


def test_the_two_periodic_report_entries(data: dict) -> None:
    entries = {e["iri"]: e for e in data["entries"]}
    assert set(entries) == {MEXICO_ENTRY, COLOMBIA_ENTRY}
    mexico, colombia = entries[MEXICO_ENTRY], entries[COLOMBIA_ENTRY]
    # Mexico's form fills every field; its evaluation field ("Main conclusions of the evaluation of
    # the measure") is answered, one paragraph per programme, recorded as cg:evaluationConclusion
    assert all(f["state"] == "filled" for f in mexico["fields"].values())
    assert mexico["missing"] == []
    # Colombia's form leaves the financial resources empty and names no indicator; its evaluation
    # field is answered ("Joint Commissions are under constant evaluation ..."), so it is not missing
    assert {"financial", "indicators"} <= set(colombia["missing"])
    assert "evaluation" not in colombia["missing"]
    assert colombia["score"] < mexico["score"]
    assert [e["iri"] for e in data["entries"]] == [MEXICO_ENTRY, COLOMBIA_ENTRY]


def test_evaluation_is_read_from_the_evaluation_properties(project_store: EmbeddedStore, data: dict) -> None:
    # an entry's evaluation field is filled when the entry or one of its parts states how it is
    # evaluated (cg:evaluation) or what the evaluation concluded (cg:evaluationConclusion); the
    # words of a citation's locator do not count
    rows = project_store.select(EVALUATED % (MEXICO_ENTRY, COLOMBIA_ENTRY))
    evaluated = {row["entry"].value for row in rows}
    assert evaluated == {MEXICO_ENTRY, COLOMBIA_ENTRY}
    for entry in data["entries"]:
        state = entry["fields"]["evaluation"]["state"]
        assert state == ("filled" if entry["iri"] in evaluated else "missing"), entry["iri"]


def test_partners_without_type_are_counted(project_store: EmbeddedStore, data: dict) -> None:
    colombia = next(e for e in data["entries"] if e["iri"] == COLOMBIA_ENTRY)
    untyped = int(project_store.select(UNTYPED % COLOMBIA_ENTRY)[0]["n"].value)
    assert untyped == 3  # APC and the ministries of culture of Ecuador and Peru: no entity type in the report
    assert colombia["fields"]["partners"]["state"] == "partial"
    typed, _, total = colombia["fields"]["partners"]["detail"].split(" ")[:3]
    assert int(typed) < int(total)


def test_rankings_per_country_best_first(data: dict) -> None:
    by_key = {c["key"]: c for c in data["countries"]}
    assert {"mexico", "colombia", "none"} <= set(by_key)
    for country in data["countries"]:
        scores = [r["score"] for r in country["ranking"]]
        assert scores == sorted(scores, reverse=True)
        assert [r["rank"] for r in country["ranking"]] == list(range(1, len(scores) + 1))
        for row in country["ranking"]:
            assert set(row["filled"]) | set(row["partial"]) | set(row["missing"]) == set(FIELD_NAMES)
            assert row["score"] == score(row["fields"])
    assert by_key["mexico"]["ranking"][0]["iri"] == MEXICO_ENTRY
    assert COLOMBIA_ENTRY in {r["iri"] for r in by_key["colombia"]["ranking"]}
    assert data["countries"][-1]["key"] == "none"


def test_one_country(facts: IndicatorFacts) -> None:
    only = completeness(facts, ["es"], BASE, "colombia")
    assert [c["key"] for c in only["countries"]] == ["colombia"]
    assert only["fields"][1]["title"] == "Recursos financieros"
    for bad in ("atlantis", "Colombia!", "x" * 200):
        with pytest.raises(ParameterError) as caught:
            completeness(facts, ["en"], BASE, bad)
        assert caught.value.name == "country"


def test_csv(data: dict) -> None:
    rows = csv_rows(data)
    assert rows[0][:3] == ["country", "rank", "iri"]
    assert len(rows) - 1 == sum(len(c["ranking"]) for c in data["countries"])
