"""The one SPARQL tokenizer: forms, SERVICE endpoints, hostile text, the plain-query shortcut."""

from __future__ import annotations

import re
import time

import pyoxigraph as ox
import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from coopgraph import sparqltext
from coopgraph.config import Settings
from coopgraph.sparqltext import (
    QueryInfo,
    chain_bound,
    inspect_query,
    query_form,
    tokens,
    too_deep,
    unescape_codepoints,
    with_values,
)


@pytest.mark.parametrize(
    ("text", "form", "services"),
    [
        ("SELECT * { ?s ?p ?o }", "SELECT", ()),
        ("# INSERT in a comment\nASK { ?s ?p 'DELETE' }", "ASK", ()),
        ("PREFIX ex: <http://e/>\nCONSTRUCT WHERE { ?s ex:p ?o }", "CONSTRUCT", ()),
        ("DESCRIBE <http://e/a>", "DESCRIBE", ()),
        ("PREFIX ex: <http://e/> INSERT DATA { ex:a ex:b ex:c }", "UPDATE", ()),
        ("WITH <http://e/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "UPDATE", ()),
        ("BASE <http://e/> SELECT * { SERVICE <sparql> { ?s ?p ?o } }", "SELECT", ("http://e/sparql",)),
        ("SELECT * { SERVICE SILENT ?endpoint { ?s ?p ?o } }", "SELECT", ("?endpoint",)),
        ('SELECT * { ?s ?p """SERVICE <http://x/>""" }', "SELECT", ()),
    ],
)
def test_inspect_query(text: str, form: str, services: tuple[str, ...]) -> None:
    info = inspect_query(text)
    assert info.form == form
    assert info.services == services


def catalogue_texts() -> list[str]:
    root = Settings().queries_dir
    return [path.read_text("utf-8") for path in sorted(root.rglob("*.rq"))]


S = ("http://e/s",)
HOSTILE = [
    ("SELECT * WHERE { #x\rSERVICE <http://e/s> { ?s ?p ?o } }", S),
    ("SELECT * WHERE { #x\r\nSERVICE <http://e/s> { ?s ?p ?o } }", S),
    ("SELECT * WHERE { \\u0053ERVICE <http://e/s> { ?s ?p ?o } }", S),
    ("SELECT * WHERE { \\U00000053ervice <http://e/s> { ?s ?p ?o } }", S),
    ('SELECT * WHERE { BIND("\\u005c" AS ?x) SERVICE <http://e/s> {} } # "', S),
    ('SELECT * WHERE { BIND("\\u0022 AS ?x) SERVICE <http://e/s> {} } # "', S),
    ("SELECT * WHERE { SERVICE <http://e/\\u0073> {} }", S),
    ("SELECT * { ?s ?p 'SERVICE <http://e/s>' }", ()),
    ("SELECT * { ?s ?p '''it's\nSERVICE <http://e/s>''' }", ()),
    ('SELECT * { ?s ?p "say \\"SERVICE <http://e/s>\\"" }', ()),
    ("SELECT * { <http://e/SERVICE> ?p ?o } # SERVICE <http://e/s>", ()),
    ("PREFIX service: <http://e/> SELECT * { service:x ?p ?o }", ()),
    ("SELECT * { ?service ?p ?o . $SERVICE ?p ?o }", ()),
    ("sElEcT * { SeRvIcE SiLeNt <http://e/s> {} }", S),
    ("SELECT * {\x0cSERVICE <http://e/s> {} }", S),
    ("SELECT:x * {}", ()),
    ("SELECT-a:b {}", ()),
    ("  # c\nask{}", ()),
    ("PREFIX : <http://e/>\nselect*{}", ()),
    ("SELECTx {}", ()),
    ("PREFIX a: <http://e/> CONSTRUCT WHERE {}", ()),
    ("# SELECT\nDROP ALL", ()),
    ("PREFIX a: <http://e/> WITH <http://e/g> DELETE {} WHERE {}", ()),
    ("# a federated service\nSELECT * { SERVICE <http://e/s> { ?s ?p ?o } }", S),
    ("BASE <x/> SELECT * {}", ()),
    ("SELECT * { <relative> ?p ?o }", ()),
    ("SELECT * { ?s ?p ?o FILTER(?o < 3 && ?o > 1) }", ()),
    ('SELECT * { ?s ?p "unclosed }', ()),
    ("#\rDROP ALL\nSELECT * {}", ()),
]


@pytest.mark.parametrize(("text", "services"), HOSTILE)
def test_hostile_text_read_as_the_grammar_reads_it(text: str, services: tuple[str, ...]) -> None:
    assert inspect_query(text).services == services


def test_a_form_feed_is_no_whitespace_but_an_error_in_front_of_service() -> None:
    info = inspect_query("SELECT * {\x0cSERVICE <http://e/s> {} }")
    assert info.error is not None and (info.error.line, info.error.column) == (1, 11)


@pytest.mark.parametrize(
    ("text", "form"),
    [("SELECT:x * {}", None), ("SELECT-a:b {}", None), ("#\rDROP ALL\nSELECT * {}", "UPDATE")],
)
def test_keywords_are_words_not_prefixed_names(text: str, form: str | None) -> None:
    assert inspect_query(text).form == form


def test_the_plain_query_shortcut_agrees_with_the_lexer(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = [
        *catalogue_texts(),
        "  # c\nask{}",
        "PREFIX : <http://e/>\nselect*{}",
        "SELECTx {}",
        "PREFIX a: <http://e/> CONSTRUCT WHERE {}",
    ]
    texts += ["# SELECT\nDROP ALL", "PREFIX a: <http://e/> WITH <http://e/g> DELETE {} WHERE {}"]
    texts += ["# a federated service\nSELECT * { SERVICE <http://e/s> { ?s ?p ?o } }"]
    texts += [text for text, _ in HOSTILE]
    fast = [inspect_query(t) for t in texts]
    monkeypatch.setattr(sparqltext, "_PLAIN_QUERY", re.compile(r"(?!)"))  # never matches: lexer only
    assert fast == [inspect_query(t) for t in texts]
    assert len(texts) > 50 and {f.form for f in fast} >= {"SELECT", "CONSTRUCT", "UPDATE", None}


def test_a_service_named_in_the_header_comments_keeps_the_shortcut(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_lexer(text: str, base: str, codepoints_processed: bool) -> QueryInfo:
        raise AssertionError("the lexer ran")

    monkeypatch.setattr(sparqltext, "_read", no_lexer)
    info = inspect_query("#+ summary: what each service of the fund paid\nSELECT * { ?s ?p ?o }")
    assert info == QueryInfo("SELECT")
    with pytest.raises(AssertionError, match="the lexer ran"):
        inspect_query("# plain\nSELECT * { SERVICE <http://e/s> { ?s ?p ?o } }")


def test_the_catalogue_takes_the_shortcut_and_is_clean(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = catalogue_texts()
    monkeypatch.setattr(sparqltext, "_PLAIN_QUERY", re.compile(r"(?!)"))
    read = [inspect_query(t) for t in texts]
    assert all(i.error is None and not i.relative_iris and not i.services for i in read)
    assert {query_form(t) for t in texts} <= {"SELECT", "CONSTRUCT", "DESCRIBE", "ASK"}


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("'a\\'b' \"c\\\"d\"", ["string", "string"]),
        ('"""a ""b"" c""" \'\'\'x\'\'\'', ["string", "string"]),
        ("<http://e/a> ?v $w _:b0 ex:a\\.b :x 1.5e3 .5 @en-GB", None),
        ("a:b%2F c:d. ^^ <= != && ||", ["pname", "pname", *["punct"] * 6]),
        ("ex:a.b.", ["pname", "punct"]),
    ],
)
def test_tokens_follow_the_grammar(text: str, kinds: list[str] | None) -> None:
    found = [t.kind for t in tokens(text)]
    if kinds is None:
        kinds = ["iri", "var", "var", "bnode", "pname", "pname", "number", "number", "langtag"]
    assert found == kinds


def test_a_comment_ends_at_a_carriage_return() -> None:
    assert [t.text for t in tokens("# x\rSERVICE")] == ["SERVICE"]
    assert [t.text for t in tokens("# x\nSERVICE")] == ["SERVICE"]


def test_codepoint_escapes_are_processed_first_or_read_in_terms() -> None:
    assert unescape_codepoints("\\u0053ERVICE \\U0010FFFF \\U00110000") == "SERVICE \U0010ffff \\U00110000"
    engine = [t.kind for t in tokens('"\\u0022" <a\\u0062>')]
    assert engine == ["string", "iri"]
    spec = [t.kind for t in tokens(unescape_codepoints('"\\u0022"'), codepoints_processed=True)]
    assert spec == ["string", "error"]


def test_with_values_finds_the_where_group_past_hostile_text() -> None:
    query = "SELECT * # WHERE {\r WHERE { ?s <http://e/{> '{' }"
    bound = with_values(query, {"s": ox.NamedNode("http://e/a")})
    assert bound == "SELECT * # WHERE {\r WHERE { VALUES (?s) { (<http://e/a>) }  ?s <http://e/{> '{' }"


def reference_tokens(text: str, codepoints_processed: bool = False) -> list[tuple[str, str, int]]:
    """The tokens as the token pattern reads them in one pass, with no alternative left out."""
    reading = sparqltext._SPEC if codepoints_processed else sparqltext._ENGINE
    return [
        (m.lastgroup or "error", m.group(), m.start())
        for m in reading.full.finditer(text)
        if m.lastgroup not in ("ws", "comment")
    ]


TRICKY = ['"', "'", "\\", "a", ".", ":", "-", "é", "_", "u", "0", "<", ">", "\n", " ", "#", "{", "%"]


@hypothesis_settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(TRICKY), max_size=60).map("".join), st.booleans())
def test_leaving_out_failed_scans_reads_the_same_tokens(text: str, processed: bool) -> None:
    assert list(tokens(text, codepoints_processed=processed)) == [
        sparqltext.Token(*t) for t in reference_tokens(text, processed)
    ]


@pytest.mark.parametrize(
    "text",
    [
        'x "' + '\\"' * 20 + "\n" + '"""' + '\\"""' * 10,
        "'''" + "\\'''" * 10 + " a.a.a.:b é.é.",
        "a." * 30 + "b:c " + "a-" * 30,
        '"""' + '\\""' * 20 + '"""',
    ],
)
def test_hostile_runs_read_the_same_tokens(text: str) -> None:
    assert [tuple(t) for t in tokens(text)] == reference_tokens(text)


PATHOLOGICAL = {
    "escaped quotes": 'SELECT * { SERVICE <x:> {} "' + '\\"' * 50_000,
    "escaped single quotes": "SELECT * { SERVICE <x:> {} '" + "\\'" * 50_000,
    "triple quotes": 'SELECT * { SERVICE <x:> {} """' + '\\"' * 50_000,
    "dotted names": "SELECT * { SERVICE <x:> {} " + "a." * 50_000,
    "hyphenated names": "SELECT * { SERVICE <x:> {} " + "a-" * 50_000,
    "accented names": "SELECT * { SERVICE <x:> {} " + "é." * 50_000,
}


@pytest.mark.parametrize("text", PATHOLOGICAL.values(), ids=PATHOLOGICAL.keys())
def test_the_tokenizer_reads_pathological_text_in_linear_time(text: str) -> None:
    # 100 kB: read again from every quote or letter, as before, this took minutes
    start = time.perf_counter()
    inspect_query(text)
    assert time.perf_counter() - start < 2.0


def test_too_deep_finds_the_bracket_past_the_limit() -> None:
    text = "SELECT * WHERE {\n  FILTER((((1))))\n}"
    token = too_deep(text, 4)
    assert token is not None and token.text == "(" and token.start == text.index("((((") + 3
    assert too_deep(text, 5) is None


def test_brackets_in_strings_iris_and_comments_do_not_count() -> None:
    text = "SELECT * { ?s <http://e/((([[> '((((' # [[[[\n }"
    assert too_deep(text, 1) is None
    assert too_deep("SELECT * { ?s ?p [ ?q ( ?o ) ] }", 2) is not None


def test_unbalanced_closers_do_not_hide_depth() -> None:
    assert too_deep("}}}}}}}}" + "{" * 5, 4) is not None


def test_the_catalogue_nests_far_below_the_default_limit() -> None:
    limit = Settings().max_query_depth
    deepest = 0
    for text in catalogue_texts():
        for depth in range(1, limit + 1):
            if too_deep(text, depth) is None:
                deepest = max(deepest, depth)
                break
        else:
            raise AssertionError(f"a catalogue query nests deeper than {limit}")
    assert deepest <= limit // 4


def longest_chain(text: str) -> int:
    """The most operators one group of ``text`` chains, as :func:`too_deep` counts them."""
    chained = 0
    while too_deep(text, 10**6, chain_limit=chained) is not None:
        chained += 1
    return chained


CHAINS = [
    "ASK { FILTER(" + " || ".join(["true"] * 40) + ") }",
    "SELECT * { ?s " + "/".join(["<http://e/p>"] * 30) + " ?o }",
    "SELECT * { " + " unıon ".join(["{ ?s ?p ?o }"] * 12) + " }",  # dotless i: upper() is UNION
    "ASK { FILTER(" + "!" * 25 + "true) }",
    "SELECT * { ?s ?p ?o " + " OPTIONAL { ?s ?q ?r }" * 9 + " }",
]


@pytest.mark.parametrize("text", CHAINS + list(catalogue_texts()))
def test_chain_bound_is_never_below_the_longest_chain(text: str) -> None:
    assert chain_bound(text) >= longest_chain(text)


def test_a_long_query_without_operators_is_not_read_token_by_token(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "SELECT ?s WHERE { " + " ".join(f"?s <http://e/p> {n} ." for n in range(200)) + " }"
    assert len(text) > Settings().max_query_chain and chain_bound(text) < Settings().max_query_chain

    def reading(*args: object, **kwargs: object) -> None:
        raise AssertionError("the text was tokenized")

    monkeypatch.setattr(sparqltext, "tokens", reading)
    assert too_deep(text, Settings().max_query_depth, chain_limit=Settings().max_query_chain) is None


def test_a_chain_past_the_limit_in_a_long_text_is_still_found() -> None:
    text = "ASK { FILTER(" + " || ".join(["true"] * 1200) + ") }"
    token = too_deep(text, 64, chain_limit=1000)
    assert token is not None and token.text == "||"
