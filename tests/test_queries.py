"""The named queries: headers read as grlc reads them, complete, and sensible rows on the data."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest

from coopgraph.config import Settings
from coopgraph.errors import InputError, ParameterError
from coopgraph.namespaces import ID
from coopgraph.queries import NamedQuery, Parameter, QueryCatalogue, parse_query_text
from coopgraph.store import EmbeddedStore

RunQuery = Callable[..., list[dict[str, str]]]

SERVICE_QUERIES = [
    "partners-of-actor",
    "activities-of-actor",
    "activities-by-article",
    "programmes-implementing-article",
    "contributions",
    "filtered-contribution-totals-per-currency",
    "actors-by-sector",
    "actors-by-stakeholder-category",
    "agreements-between",
    "co-participation",
    "entity-provenance",
    "label-search",
    "changes-per-source-document",
    "entities-in-several-documents",
    "events-by-year",
    "people-and-roles",
    "results-by-activity",
    "articles-of-the-convention",
    "concept-scheme",
]
MEXICO = "https://w3id.org/coopgraph/id/party/mexico"


@pytest.mark.parametrize("name", SERVICE_QUERIES)
def test_header_documents_every_parameter(catalogue: QueryCatalogue, name: str) -> None:
    query = catalogue.get(name)
    assert query.summary != name and query.description
    assert query.tags
    for parameter in query.parameters:
        assert parameter.default, f"{name}: parameter {parameter.name} has no #+ defaults: value"


@pytest.mark.parametrize("name", SERVICE_QUERIES)
def test_returns_rows_with_its_defaults(catalogue: QueryCatalogue, run_query: RunQuery, name: str) -> None:
    defaults = {p.name: p.default for p in catalogue.get(name).parameters if p.default}
    assert run_query(name, **defaults)


def test_contributions_filters(run_query: RunQuery) -> None:
    ibermedia = run_query(
        "contributions", contributor=MEXICO, recipient="https://w3id.org/coopgraph/id/programme/ibermedia"
    )
    assert [(r["amount"], r["currency"]) for r in ibermedia] == [("1600000", "USD")] or [
        (float(r["amount"]), r["currency"]) for r in ibermedia
    ] == [(1600000.0, "USD")]
    everything = run_query("contributions")
    from_mexico = run_query("contributions", contributor=MEXICO)
    assert 0 < len(from_mexico) < len(everything)
    assert all(r["contributor"] == MEXICO for r in from_mexico)
    assert run_query("contributions", contributor=MEXICO, to="2011") == []


def test_totals_agree_with_the_listing(run_query: RunQuery) -> None:
    listing = run_query("contributions", contributor=MEXICO)
    totals = run_query("filtered-contribution-totals-per-currency", contributor=MEXICO)
    for row in totals:
        amounts = [float(r["amount"]) for r in listing if r.get("currency") == row["currency"]]
        assert float(row["total"]) == pytest.approx(sum(amounts))
        assert int(row["contributions"]) == len(amounts)


def test_label_search_folds_case_and_accents(run_query: RunQuery) -> None:
    plain = {r["entity"] for r in run_query("label-search", text="ibermusicas")}
    accented = {r["entity"] for r in run_query("label-search", text="IBERMÚSICAS")}
    assert "https://w3id.org/coopgraph/id/programme/ibermusicas" in plain
    assert plain == accented


def test_partners_are_symmetric(run_query: RunQuery) -> None:
    partners = {r["partner"] for r in run_query("partners-of-actor", actor=MEXICO)}
    assert MEXICO not in partners
    some = sorted(partners)[0]
    assert MEXICO in {r["partner"] for r in run_query("partners-of-actor", actor=some)}


def test_changes_per_source_document_counts_every_triple(
    run_query: RunQuery, project_store: EmbeddedStore
) -> None:
    """Counted from the quads themselves: labels that differ only by language are three triples."""
    rows = run_query("changes-per-source-document")
    assert rows
    for row in rows:
        quads = [
            q
            for q in project_store.oxigraph.quads_for_pattern(None, None, None, ox.NamedNode(row["graph"]))
            if isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(str(ID))
        ]
        assert int(row["triples"]) == len(quads), row["graph"]
        assert int(row["entities"]) == len({q.subject for q in quads}), row["graph"]
        assert int(row.get("sharedEntities", "0")) <= int(row["entities"])
    shared = {r["graph"]: int(r.get("sharedEntities", "0")) for r in rows}
    assert any(shared.values())


ALL_QUERIES = QueryCatalogue(Settings().queries_dir)
GRLC_XSD_PREFIX = "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>"


def _as_grlc_pastes(query: NamedQuery) -> str:
    """The query text after grlc's substitution of every parameter by a value of its type."""
    text = query.text
    for p in query.parameters:
        value = p.default or {"iri": "http://example.org/x", "number": "1"}.get(p.kind, "1")
        if p.kind == "iri":
            term = f"<{value}>"
        elif p.kind == "number":
            term = value
        elif p.kind == "lang":
            term = f'"{value}"@{p.language}'
        elif p.datatype:
            term = f'"{value}"^^{p.type_label}'
        else:
            term = f'"{value}"'
        text = text.replace("?" + p.variable, term)
    if "^^xsd:" in text and GRLC_XSD_PREFIX not in text:
        text = text.replace("SELECT", GRLC_XSD_PREFIX + "\n\nSELECT")
    return text


@pytest.mark.parametrize("query", ALL_QUERIES.public(), ids=lambda q: q.name)
def test_text_stays_sparql_when_grlc_pastes_the_parameters(query: NamedQuery) -> None:
    """grlc replaces ``?_name`` by the value's text: projected, assigned or BOUND-tested parameters break."""
    ox.Store().query(_as_grlc_pastes(query))


@pytest.mark.parametrize("query", ALL_QUERIES.public(), ids=lambda q: q.name)
def test_public_query_offers_no_endpoint_parameter(query: NamedQuery) -> None:
    assert query.endpoint_in_url is False


def test_header_that_is_not_yaml_names_file_and_line() -> None:
    text = "#+ summary: Partners\n#+ description: Partners (source: a report)\nSELECT * {}"
    with pytest.raises(InputError) as caught:
        parse_query_text("partners", text, Path("queries/partners.rq"))
    assert caught.value.path == Path("queries/partners.rq")
    assert caught.value.line == 2


def test_unknown_decorator_names_its_line() -> None:
    text = "#+ summary: x\n#+ tags:\n#+   - a\n#+ default:\n#+   - o: 1\nSELECT * { ?s ?p ?_o }"
    with pytest.raises(InputError, match="unknown decorator 'default'") as caught:
        parse_query_text("q", text)
    assert caught.value.line == 4


@pytest.mark.parametrize(
    "decorator", ["endpoint: http://example.org/sparql", "mime: text/turtle", "method: POST"]
)
def test_grlc_decorators_coopgraph_cannot_honour_are_errors(decorator: str) -> None:
    with pytest.raises(InputError, match="unknown decorator"):
        parse_query_text("q", f"#+ summary: x\n#+ {decorator}\nSELECT * {{}}")


def test_parameter_suffixes_mean_what_grlc_means() -> None:
    text = (
        "#+ summary: x\nPREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n"
        "SELECT * { ?s ?p ?_a . ?s ?p ?_b_literal . ?s ?p ?_c_number . ?s ?p ?_d_int . "
        "?s ?p ?__e_long . ?s ?p ?_f_integer . ?s ?p ?_g_xsd_date . ?s ?p ?_h_es . ?s ?p ?_i_iri }"
    )
    params = {p.name: p for p in parse_query_text("q", text).parameters}
    assert [
        (n, p.kind, p.language) for n, p in params.items() if p.kind in ("literal", "lang", "number")
    ] == [
        ("a", "literal", None),
        ("b", "literal", None),
        ("c", "number", None),
        ("d", "lang", "int"),
        ("e", "lang", "long"),
        ("h", "lang", "es"),
    ]
    assert params["f"].type_label == "xsd:integer" and params["g"].type_label == "xsd:date"
    assert params["i"].kind == "iri" and not params["e"].required
    assert params["b"].to_term("x") == ox.Literal("x")
    assert params["d"].to_term("7") == ox.Literal("7", language="int")


@pytest.mark.parametrize(("value", "datatype"), [("12", "integer"), ("-1.5", "decimal"), ("1e3", "double")])
def test_number_parameter_takes_the_type_sparql_gives_the_number(value: str, datatype: str) -> None:
    term = Parameter("n", "_n_number", "number", True).to_term(value)
    assert term == ox.Literal(value, datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#" + datatype))


@pytest.mark.parametrize("value", ["twelve", "1.", "12; DROP"])
def test_number_parameter_refuses_what_is_not_a_number(value: str) -> None:
    with pytest.raises(ParameterError, match="not a number"):
        Parameter("n", "_n_number", "number", True).to_term(value)


def test_enumerate_is_a_list_of_values_per_parameter_as_in_grlc() -> None:
    text = "#+ summary: x\n#+ enumerate:\n#+   - status:\n#+       - signed\n#+       - approved\nSELECT * { ?s ?p ?_status }"
    status = parse_query_text("q", text).parameter("status")
    assert status.enumerate == ("signed", "approved")
    assert status.to_term("signed") == ox.Literal("signed")
    with pytest.raises(ParameterError, match="not one of"):
        status.to_term("rejected")


@pytest.mark.parametrize(
    "enumerate_",
    ["#+   - status: signed, approved", "#+   - status"],
    ids=["comma-text", "values-from-the-endpoint"],
)
def test_enumerate_in_another_form_is_an_error(enumerate_: str) -> None:
    with pytest.raises(InputError, match="enumerate"):
        parse_query_text("q", f"#+ summary: x\n#+ enumerate:\n{enumerate_}\nSELECT * {{ ?s ?p ?_status }}")


def test_defaults_are_yaml_values_read_as_text() -> None:
    text = "#+ summary: x\n#+ defaults:\n#+   - year: 2019\n#+   - flag: true\nSELECT * { ?s ?p ?_year_xsd_gYear, ?__flag_xsd_boolean }"
    query = parse_query_text("q", text)
    assert [p.default for p in query.parameters] == ["2019", "true"]
    assert query.bind({}) == {"_year_xsd_gYear": query.parameters[0].to_term("2019")}


def test_default_of_a_parameter_the_query_lacks_is_an_error() -> None:
    with pytest.raises(InputError, match="no parameter 'actor'") as caught:
        parse_query_text("q", "#+ summary: x\n#+ defaults:\n#+   - actor: 1\nSELECT * { ?s ?p ?_o }")
    assert caught.value.line == 2


def test_parameter_written_two_ways_is_an_error() -> None:
    with pytest.raises(InputError, match="written both") as caught:
        parse_query_text("q", "#+ summary: x\nSELECT * {\n ?s ?p ?_o_iri .\n ?s ?p ?_o }")
    assert caught.value.line == 4


def test_pagination_is_a_positive_number_of_rows() -> None:
    assert parse_query_text("q", "#+ summary: x\n#+ pagination: 20\nSELECT * {}").pagination == 20
    with pytest.raises(InputError, match="pagination"):
        parse_query_text("q", "#+ summary: x\n#+ pagination: many\nSELECT * {}")
