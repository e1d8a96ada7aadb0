"""The benchmark's synthetic data generator (bench/generate.py): deterministic, sized, well-formed."""

from __future__ import annotations

import hashlib
import statistics
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest

from coopgraph.namespaces import CG, ONTOLOGY_GRAPH, PREFIXES
from support.bench import load_bench

TARGET = 20_000


generate = load_bench("generate")
PROLOGUE = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int, str]:
    out = tmp_path_factory.mktemp("gen") / "cg.nq"
    count, digest = generate.write(TARGET, out, seed=7)
    return out, count, digest


@pytest.fixture(scope="module")
def store(written: tuple[Path, int, str]) -> ox.Store:
    store = ox.Store()
    store.load(path=str(written[0]), format=ox.RdfFormat.N_QUADS)
    return store


def select(store: ox.Store, query: str) -> list[ox.QuerySolution]:
    return list(store.query(PROLOGUE + query, use_default_graph_as_union=True))  # type: ignore[arg-type]


def test_same_seed_gives_the_same_bytes(written: tuple[Path, int, str], tmp_path: Path) -> None:
    _, _, digest = written
    assert generate.write(TARGET, tmp_path / "again.nq", seed=7)[1] == digest
    assert generate.write(TARGET, tmp_path / "other.nq", seed=8)[1] != digest


def test_size_is_within_ten_percent_of_the_target(written: tuple[Path, int, str], store: ox.Store) -> None:
    _, count, _ = written
    assert abs(count - TARGET) <= TARGET * 0.1
    assert abs(len(store) - TARGET) <= TARGET * 0.1  # no duplicate quads hidden in the count


def test_data_spreads_over_several_named_graphs_with_the_ontology(store: ox.Store) -> None:
    graphs = {g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode)}
    assert str(ONTOLOGY_GRAPH) in graphs
    assert sum(1 for g in graphs if "/graph/synthetic-source-" in g) >= 4
    rows = select(store, "SELECT ?p WHERE { ?p rdfs:subPropertyOf* cg:hasParticipant }")
    assert {str(CG.hasParty), str(CG.organisedBy), str(CG.coordinatedBy)} <= {r["p"].value for r in rows}


def test_every_contribution_has_one_decimal_amount_and_a_currency(store: ox.Store) -> None:
    rows = select(
        store,
        """SELECT ?c (COUNT(?amount) AS ?amounts) (SAMPLE(?amount) AS ?a) (SAMPLE(?cur) AS ?currency)
        (COUNT(?who) AS ?contributors) (COUNT(?to) AS ?recipients)
        WHERE { ?c a cg:FundingContribution .
          OPTIONAL { ?c cg:amount ?amount } OPTIONAL { ?c cg:currency ?cur }
          OPTIONAL { ?c cg:contributor ?who } OPTIONAL { ?c cg:recipient ?to } } GROUP BY ?c""",
    )
    assert len(rows) > 50
    for row in rows:
        assert row["amounts"].value == "1", row["c"]
        assert row["a"].datatype.value.endswith("#decimal")
        assert row["currency"].value in {"USD", "EUR"}
        assert row["contributors"].value == "1" and row["recipients"].value == "1"


def test_organisations_have_sector_category_country_and_three_labels(store: ox.Store) -> None:
    rows = select(
        store,
        """SELECT ?o (GROUP_CONCAT(DISTINCT lang(?l); separator=",") AS ?langs) WHERE {
          GRAPH ?g { ?o a cg:Organisation ; cg:sector ?s ; cg:stakeholderCategory ?k ; cg:country ?c ;
                     rdfs:label ?l ; prov:qualifiedDerivation [ cg:locator ?loc ] }
          FILTER(STRSTARTS(STR(?g), "https://w3id.org/coopgraph/graph/synthetic-source-"))
        } GROUP BY ?o""",
    )
    assert len(rows) > 50
    assert all(set(r["langs"].value.split(",")) == {"en", "es", "fr"} for r in rows)


def test_activities_have_two_to_five_participants_drawn_from_a_power_law(store: ox.Store) -> None:
    counts = select(
        store,
        """SELECT ?a (COUNT(DISTINCT ?agent) AS ?n) WHERE {
          GRAPH ?g { ?a cg:hasParticipation [ cg:agent ?agent ; cg:role ?role ] ; cg:relatesToArticle ?art }
          FILTER(STRSTARTS(STR(?g), "https://w3id.org/coopgraph/graph/synthetic-source-"))
        } GROUP BY ?a""",
    )
    assert counts and all(2 <= int(r["n"].value) <= 5 for r in counts)
    degree = Counter(
        r["agent"].value
        for r in select(
            store,
            """SELECT ?a ?agent WHERE { GRAPH ?g { ?a cg:hasParticipation [ cg:agent ?agent ] }
            FILTER(STRSTARTS(STR(?g), "https://w3id.org/coopgraph/graph/synthetic-source-")) }""",
        )
    )
    assert max(degree.values()) >= 10 * statistics.median(degree.values())


def test_sizes_read_as_numbers() -> None:
    assert generate.parse_size("10k") == 10_000
    assert generate.parse_size("1M") == 1_000_000
    with pytest.raises(ValueError, match="not a size"):
        generate.parse_size("lots")


def test_writing_streams_in_bounded_chunks_the_bytes_of_the_whole_graph(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(generate, "CHUNK", 1_000)
    chunks: list[int] = []
    reference = generate.read_reference(generate.Settings().project_dir)
    count = generate.Generator(TARGET, 3, reference, lambda quads: chunks.append(len(quads))).run()
    # the project's own data comes first, whole; then chunks of at most CHUNK synthetic quads
    assert chunks[0] <= len(reference.fixed) + 1
    assert len(chunks) >= 5 and max(chunks[1:]) <= 1_000
    assert sum(chunks) == count
    in_memory = ox.serialize(generate.generate(TARGET, seed=3), format=ox.RdfFormat.N_QUADS)
    written_count, digest = generate.write(TARGET, tmp_path / "streamed.nq", seed=3)
    assert written_count == count
    assert (tmp_path / "streamed.nq").read_bytes() == in_memory
    assert digest == hashlib.sha256(in_memory).hexdigest()
    assert not list(tmp_path.glob("*.partial"))
