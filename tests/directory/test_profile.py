"""The profile of a source described by the source-profile form: typical amounts per currency
(never summed), eligible countries, what it finances, how to reach it, each with its quotes;
checked against SPARQL queries written here, independently of queries/internal/."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

import pytest

from coopgraph.config import Settings
from coopgraph.contrib import forms
from coopgraph.directory.profile import source_profile
from coopgraph.queries import QueryCatalogue
from coopgraph.store import EmbeddedStore, load_project

ID = "https://w3id.org/coopgraph/id/"
FUND = ID + "fund/andean-fund-for-film"
PROFILE = [
    ("name", "Andean Fund for Film"),
    ("kind", "fund"),
    ("description", "Grants for film co-productions in the Andean countries"),
    ("country", "Peru"),
    ("finances", "audiovisual"),
    ("finances", "music"),
    ("modalities", "south-south"),
    ("countries-0-name", "Chile"),
    ("countries-1-name", "Ecuador"),
    ("amounts-0-amount", "50000"),
    ("amounts-0-currency", "USD"),
    ("amounts-1-amount", "20000"),
    ("amounts-1-currency", "USD"),
    ("amounts-2-amount", "15000"),
    ("amounts-2-currency", "EUR"),
    ("email", "grants@andean-film.example"),
    ("homepage", "https://andean-film.example/grants"),
]
PREFIXES = """PREFIX cg: <https://w3id.org/coopgraph/def#>
PREFIX schema: <http://schema.org/>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX prov: <http://www.w3.org/ns/prov#>
"""


@pytest.fixture(scope="module")
def profiled() -> tuple[EmbeddedStore, QueryCatalogue]:
    """The project's data and one source described by the source-profile form."""
    settings = Settings(in_memory=True)
    store = EmbeddedStore(None)
    load_project(store, settings)
    catalogue = QueryCatalogue(settings.queries_dir)
    spec = forms.FORMS["source-profile"]
    values, _ = forms.read_values(spec, PROFILE)
    outcome = forms.submit(spec, values, store, catalogue, settings, "en", today="2024-03-01")
    assert outcome.errors == [], outcome.errors
    store.put_graphs({"https://w3id.org/coopgraph/graph/submission/profile": outcome.triples})
    return store, catalogue


def select(store: EmbeddedStore, where: str) -> list[dict[str, str]]:
    return [
        {k: v.value for k, v in row.items()}
        for row in store.select(PREFIXES + f"SELECT * WHERE {{ {where} }}")
    ]


def test_typical_amounts_per_currency_never_summed(profiled: tuple[EmbeddedStore, QueryCatalogue]) -> None:
    store, catalogue = profiled
    profile = source_profile(store, catalogue, FUND, ["en"], "/")
    expected: dict[str, list[Decimal]] = defaultdict(list)
    for row in select(store, f"<{FUND}> cg:typicalAmount ?a . ?a schema:value ?v ; schema:currency ?c"):
        expected[row["c"]].append(Decimal(row["v"]))
    shown = {c["currency"]: [Decimal(a["value"]) for a in c["amounts"]] for c in profile["typical_amounts"]}
    assert shown == {c: sorted(v) for c, v in expected.items()}
    assert shown == {"EUR": [Decimal(15000)], "USD": [Decimal(20000), Decimal(50000)]}
    # each amount carries the quote it rests on
    for currency in profile["typical_amounts"]:
        for amount in currency["amounts"]:
            quoted = select(store, f"<{amount['iri']}> prov:qualifiedDerivation/cg:quote ?q")
            assert [q["quote"] for q in profile["quotes"][amount["iri"]]] == [r["q"] for r in quoted]


def test_eligible_countries_what_it_finances_and_contact(
    profiled: tuple[EmbeddedStore, QueryCatalogue],
) -> None:
    store, catalogue = profiled
    profile = source_profile(store, catalogue, FUND, ["en"], "/")
    eligible = {r["c"] for r in select(store, f"<{FUND}> cg:eligibleCountry ?c")}
    assert {c["iri"] for c in profile["eligible"]} == eligible == {ID + "party/chile", ID + "party/ecuador"}
    sectors = {r["s"] for r in select(store, f"<{FUND}> cg:financesSector ?s")}
    assert {c["iri"] for c in profile["finances"]["profile_sectors"]} == sectors and len(sectors) == 2
    modalities = {r["m"] for r in select(store, f"<{FUND}> cg:financesModality ?m")}
    assert (
        {c["iri"] for c in profile["finances"]["modalities"]} == modalities == {ID + "modality/south-south"}
    )
    emails = {r["e"] for r in select(store, f"<{FUND}> schema:email ?e")}
    homepages = {r["h"] for r in select(store, f"<{FUND}> foaf:homepage ?h")}
    contact = {(c["kind"], c["text"]) for c in profile["contact"]}
    assert {("email", e) for e in emails} | {("web", h) for h in homepages} <= contact
    assert ("email", "grants@andean-film.example") in contact
    # the statements of the profile rest on the form, cited as the fund's derivation
    assert profile["quotes"][FUND][0]["locator"] == "Source profile"
