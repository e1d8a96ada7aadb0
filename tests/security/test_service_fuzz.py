"""SERVICE in disguise never makes the service call out: generated queries hide ``SERVICE`` behind
comments, line breaks, case and codepoint escapes, go through the real ``/sparql``, and a canary
HTTP server on loopback must receive no request. The check must refuse them itself: an answer
saying the worker's sandbox refused the socket means the check let one through."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coopgraph.config import Settings
from support.canary import Canary, canary_server
from support.services import Running, serve, service_env


def _letter(char: str) -> st.SearchStrategy[str]:
    return st.sampled_from(
        [
            char.upper(),
            char.lower(),
            f"\\u{ord(char.upper()):04X}",
            f"\\u{ord(char.lower()):04x}",
            f"\\U{ord(char):08X}",
        ]
    )


KEYWORD = st.tuples(*(_letter(c) for c in "SERVICE")).map("".join)
COMMENT = st.tuples(
    st.text(st.characters(blacklist_characters="\r\n"), max_size=8), st.sampled_from(["\n", "\r"])
)
GAP = st.lists(
    st.one_of(
        st.sampled_from([" ", "\t", "\n", "\r", "\r\n", "\\u0020", "\\u000A", "\\u000d"]),
        COMMENT.map(lambda c: "#" + "".join(c)),
    ),
    min_size=1,
    max_size=3,
).map("".join)
SILENT = st.sampled_from(["", "SILENT", "silent", "\\u0053ILENT"])
SHAPES = [
    "SELECT * WHERE {{{g0}{kw}{g1}{silent}{g2}{target}{g3}{{ ?s ?p ?o }} }}",
    "ASK {{ OPTIONAL {{{g0}{kw}{g1}{silent}{g2}{target}{g3}{{ ?s ?p ?o }} }} }}",
    "SELECT * {{ {{ ?s ?p ?o }} UNION {{{g0}{kw}{g1}{silent}{g2}{target}{g3}{{ }} }} }}",
    "SELECT ?x {{ ?x ?p ?o . FILTER EXISTS {{{g0}{kw}{g1}{silent}{g2}{target}{g3}{{ ?x ?p ?o }} }} }}",
    "CONSTRUCT {{ ?s ?p ?o }} WHERE {{{g0}{kw}{g1}{silent}{g2}{target}{g3}{{ ?s ?p ?o }} }}",
]


def _iri(url: str, escape: list[bool]) -> str:
    """``url`` as an IRI reference, some characters written as codepoint escapes."""
    return (
        "".join(f"\\u{ord(c):04X}" if e and c.isalpha() else c for c, e in zip(url, escape, strict=False))
        + url[len(escape) :]
    )


@pytest.fixture(scope="module")
def endpoint(
    settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Running, Canary]]:
    env = service_env(settings.project_dir, in_memory="true", publish_analysis="false", query_timeout="5")
    with canary_server() as canary, serve(env, tmp_path_factory.mktemp("log") / "serve.log") as running:
        yield running, canary


@settings(max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    shape=st.sampled_from(SHAPES),
    keyword=KEYWORD,
    gaps=st.lists(GAP, min_size=4, max_size=4),
    silent=SILENT,
    escape=st.lists(st.booleans(), max_size=12),
    by_prefix=st.booleans(),
    method=st.sampled_from(["GET", "POST"]),
)
def test_disguised_service_never_reaches_the_canary(
    endpoint: tuple[Running, Canary],
    shape: str,
    keyword: str,
    gaps: list[str],
    silent: str,
    escape: list[bool],
    by_prefix: bool,
    method: str,
) -> None:
    running, canary = endpoint
    iri = f"<{_iri(canary.url, escape)}>"
    prefix, target = (f"PREFIX c: {iri}{gaps[0]}", "c:") if by_prefix else ("", iri)
    query = prefix + shape.format(
        **{f"g{i}": gap for i, gap in enumerate(gaps)}, kw=keyword, silent=silent, target=target
    )
    if method == "GET":
        answer = httpx.get(running.sparql, params={"query": query}, timeout=10)
    else:
        answer = httpx.post(running.sparql, data={"query": query}, timeout=10)
    assert canary.requests == [], query
    assert answer.status_code in (400, 403), (answer.status_code, answer.text, query)
    assert "os error" not in answer.text, query  # the sandbox, not the check, stopped it
