"""Tests of coopgraph.linkeddata.model: the LinkedData facade caches per store version."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC
from pathlib import Path

import pytest

from coopgraph.config import Settings
from coopgraph.linkeddata import LinkedData, model
from coopgraph.linkeddata.describe import ResourceNotFound
from coopgraph.linkeddata.formats import RESOURCE_MEDIA_TYPES
from coopgraph.linkeddata.labels import qname
from coopgraph.namespaces import ID_BASE
from coopgraph.negotiation import HTML
from coopgraph.queries import QueryCatalogue
from coopgraph.store import EmbeddedStore
from support import linkeddata_samples
from support.linkeddata_samples import ATLANTIS, GRAPH_B


@pytest.fixture
def fresh_ld(tmp_path: Path, settings: Settings, catalogue: QueryCatalogue) -> LinkedData:
    """A model over a sample store of its own, which a test may change."""
    return LinkedData(linkeddata_samples.small_store(tmp_path), settings, catalogue)


def test_descriptions_are_cached_until_the_store_changes(fresh_ld: LinkedData, tmp_path: Path) -> None:
    first = fresh_ld.describe("party/atlantis")
    assert fresh_ld.describe("party/atlantis") is first
    modified = fresh_ld.last_modified()
    assert modified.tzinfo == UTC and modified.microsecond == 0
    emptied = tmp_path / "empty.ttl"
    emptied.write_text("", "utf-8")
    fresh_ld.store.replace_graph(GRAPH_B, [emptied])
    again = fresh_ld.describe("party/atlantis")
    assert again is not first
    assert not again.incoming  # the programme pointing at Atlantis was in GRAPH_B
    assert first.incoming


def test_a_path_no_resource_can_have_still_gets_suggestions(small_ld: LinkedData) -> None:
    with pytest.raises(ResourceNotFound) as info:
        small_ld.describe("party/atlantis!")
    assert info.value.iri.endswith("party/atlantis!")
    iri, label = info.value.suggestions[0]
    assert iri == ATLANTIS.value and label in {"Atlantis", "Atlántida"}


def test_void_and_dumps_are_built_once_per_version(small_ld: LinkedData) -> None:
    assert small_ld.void("http://h/") is small_ld.void("http://h/")
    assert small_ld.void("http://h/") is not small_ld.void("http://other/")
    assert small_ld.dump("coopgraph.nq.gz") is small_ld.dump("coopgraph.nq.gz")


def test_home_page_lists_graphs_and_entry_points(small_ld: LinkedData) -> None:
    page = small_ld.home_page("http://h/")
    assert "<code>doc-a</code>" in page and "<code>doc-b</code>" in page
    assert 'href="http://h/id/party/atlantis"' in page  # a country, listed to start from
    assert 'href="http://h/dumps/coopgraph.ttl.gz"' in page


def test_the_suggestion_index_is_built_once_per_version(fresh_ld: LinkedData, tmp_path: Path) -> None:
    index = fresh_ld.suggestion_index()
    with pytest.raises(ResourceNotFound):
        fresh_ld.describe("party/atlantiss")
    assert fresh_ld.suggestion_index() is index
    emptied = tmp_path / "empty.ttl"
    emptied.write_text("", "utf-8")
    fresh_ld.store.replace_graph(GRAPH_B, [emptied])
    assert fresh_ld.suggestion_index() is not index
    # the Sea fund was in GRAPH_B: no longer published, no longer suggested
    assert fresh_ld.suggestions("https://w3id.org/coopgraph/id/programme/sea-fundd") == []


def test_unknown_iris_do_not_fill_the_cache(fresh_ld: LinkedData) -> None:
    fresh_ld.describe("party/atlantis")
    fresh_ld.suggestion_index()
    kept = len(fresh_ld.cache)
    for n in range(50):
        with pytest.raises(ResourceNotFound):
            fresh_ld.describe(f"party/made-up-{n}")
    assert len(fresh_ld.cache) == kept


def test_a_path_over_the_limit_is_a_plain_not_found(
    tmp_path: Path, settings: Settings, catalogue: QueryCatalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    limited = settings.model_copy(update={"suggest_max_chars": 30})
    ld = LinkedData(linkeddata_samples.small_store(tmp_path), limited, catalogue)
    built: list[int] = []
    monkeypatch.setattr(model.SuggestionIndex, "__init__", _counting(built, model.SuggestionIndex.__init__))
    with pytest.raises(ResourceNotFound) as info:
        ld.describe("party/atlantis" + "s" * 30)
    assert info.value.suggestions == []
    assert built == []  # not even the index was needed
    with pytest.raises(ResourceNotFound) as info:
        ld.describe("party/atlantiss")
    assert info.value.suggestions[0][0] == ATLANTIS.value
    assert built == [1]


def _counting(calls: list[int], init: Callable[..., None]) -> Callable[..., None]:
    def counted(*args: object, **kwargs: object) -> None:
        calls.append(1)
        init(*args, **kwargs)

    return counted


def test_every_project_resource_is_written_in_every_format(
    project_ld: LinkedData, project_store: EmbeddedStore
) -> None:
    """What ``/id/{path}.{ext}`` serves, for every resource and format (the route adds headers)."""
    subjects = linkeddata_samples.published_iris(project_store)
    assert len(subjects) > 100
    empty = []
    for iri in subjects:
        description = project_ld.describe(iri[len(ID_BASE) :])
        for media in RESOURCE_MEDIA_TYPES:
            if media is HTML:
                body = project_ld.resource_page(description, "http://testserver/", ["en"]).encode()
            else:
                body = project_ld.rdf(description, media)
            if iri.encode() not in body and qname(iri).encode() not in body:
                empty.append((iri, media.extension))
    assert empty == []
