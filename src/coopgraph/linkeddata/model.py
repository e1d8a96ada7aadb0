"""The linked-data model of one store: the pieces of this package, cached per store version."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import rdflib

from coopgraph.config import Settings
from coopgraph.linkeddata import dataset, facts, pages
from coopgraph.linkeddata.cache import VersionedCache
from coopgraph.linkeddata.describe import (
    Description,
    ResourceNotFound,
    SuggestionIndex,
    describe,
    resource_iri_for_path,
)
from coopgraph.linkeddata.docs import OntologyDoc, ShapesDoc
from coopgraph.linkeddata.profile import build_profile
from coopgraph.linkeddata.serialize import serialize
from coopgraph.namespaces import CG, ID_BASE
from coopgraph.negotiation import MediaType
from coopgraph.queries import QueryCatalogue
from coopgraph.store import Store

ENTRY_CLASSES = [("Countries", CG.Country), ("Programmes", CG.Programme), ("Organisations", CG.Organisation)]
"""The classes whose instances the home page lists, to start browsing from."""


class LinkedData:
    """Everything the linked-data pages need, over one store.

    Parameters
    ----------
    store
        The store to describe.
    settings
        The settings (knowledge folders).
    catalogue
        The query catalogue (its ``internal`` queries are run).

    Examples
    --------
    >>> from coopgraph.store import EmbeddedStore, load_project
    >>> settings = Settings(in_memory=True)
    >>> store = EmbeddedStore(None); _ = load_project(store, settings)
    >>> ld = LinkedData(store, settings, QueryCatalogue(settings.queries_dir))
    >>> ld.describe("party/colombia").iri.value
    'https://w3id.org/coopgraph/id/party/colombia'
    """

    def __init__(self, store: Store, settings: Settings, catalogue: QueryCatalogue) -> None:
        self.store = store
        self.settings = settings
        self.catalogue = catalogue
        self.ontology = OntologyDoc(settings.ontology_dir)
        self.shapes = ShapesDoc(settings.shapes_dir)
        self.cache = VersionedCache(store.version)

    def version(self) -> str:
        """The store's current version token."""
        return self.store.version()

    def last_modified(self) -> datetime:
        """When this process first saw the store's current version (whole seconds, UTC)."""
        return self.cache.last_modified()

    # -- resources -------------------------------------------------------------------------
    def describe(self, path: str) -> Description:
        """The description of the resource at ``/id/{path}``.

        Raises
        ------
        ResourceNotFound
            When nothing in the store is about it, with close matches to suggest.
        """
        try:
            iri = resource_iri_for_path(path)
        except ResourceNotFound:
            raise ResourceNotFound(ID_BASE + path, self.suggestions(ID_BASE + path)) from None
        description = self.cache.get(
            ("describe", iri.value),
            lambda: describe(self.store, self.catalogue, iri),
            keep=lambda d: bool(d.statements or d.incoming),
        )
        if not description.statements and not description.incoming:
            raise ResourceNotFound(iri.value, self.suggestions(iri.value))
        return description

    def suggestions(self, iri: str, limit: int = 5) -> list[tuple[str, str]]:
        """Published resources close to ``iri``, best first (see :class:`describe.SuggestionIndex`).

        None when the path after ``/id/`` is longer than the ``suggest_max_chars`` setting.
        """
        if len(iri.removeprefix(ID_BASE)) > self.settings.suggest_max_chars:
            return []
        return self.suggestion_index().suggest(iri, limit)

    def suggestion_index(self) -> SuggestionIndex:
        """The index of resource slugs and labels, built once per store version, at first use."""
        return self.cache.get(
            ("suggestion-index",),
            lambda: SuggestionIndex(
                facts.resource_labels(self.store, self.catalogue), self.settings.suggest_max_chars
            ),
        )

    def rdf(self, description: Description, media: MediaType) -> bytes:
        """A description written in an RDF format."""
        return serialize(description.quads(), media)

    def graph_sources(self) -> dict[str, tuple[str, str]]:
        """Source document ``(iri, English label)`` of each named graph that has one."""
        return self.cache.get(("graph-sources",), lambda: facts.graph_sources(self.store, self.catalogue))

    def instances(self, cls: str) -> list[tuple[str, str]]:
        """Named instances ``(iri, English label)`` of a class and its subclasses."""
        return self.cache.get(("instances", cls), lambda: facts.instances(self.store, self.catalogue, cls))

    # -- HTML ------------------------------------------------------------------------------
    def resource_page(self, description: Description, base: str, languages: Sequence[str]) -> str:
        """The HTML page of a resource, labels in the first of ``languages`` that has one."""
        iri = description.iri
        return pages.resource_page(
            description,
            base,
            languages,
            self.graph_sources(),
            partners=facts.partners(self.store, self.catalogue, iri) if description.is_agent() else [],
            centrality=facts.centrality(self.store, self.catalogue, iri),
            profile=build_profile(self.store, self.catalogue, iri.value, languages, base),
        )

    def not_found_page(self, error: ResourceNotFound, base: str) -> str:
        """The HTML page of an unknown IRI, with suggestions."""
        return pages.not_found_page(error, base)

    def home_page(self, base: str) -> str:
        """The home page: what the graph holds and where to start."""
        return pages.home_page(
            base,
            graph_sizes=self.cache.get(
                ("graph-sizes",), lambda: facts.graph_sizes(self.store, self.catalogue)
            ),
            graph_sources=self.graph_sources(),
            classes=self.cache.get(("class-counts",), lambda: facts.class_counts(self.store, self.catalogue)),
            articles=self.cache.get(
                ("convention-articles",), lambda: facts.convention_articles(self.store, self.catalogue)
            ),
            entry_points=[(title, self.instances(str(cls))) for title, cls in ENTRY_CLASSES],
        )

    def def_page(self, base: str) -> str:
        """The ontology documentation page, with examples of use from the data."""
        examples = {c.iri: self.instances(c.iri)[:5] for c in self.ontology.classes}
        return pages.def_page(base, self.ontology, examples)

    def shapes_page(self, base: str) -> str:
        """The SHACL shapes documentation page."""
        return pages.shapes_page(base, self.shapes)

    # -- the dataset -----------------------------------------------------------------------
    def void(self, base: str) -> rdflib.Graph:
        """The VoID description of the dataset (counts from the store, cached per version)."""
        return self.cache.get(
            ("void", base),
            lambda: dataset.void_graph(
                self.store, self.catalogue, base, self.ontology.license, self.graph_sources()
            ),
        )

    def dump(self, name: str) -> bytes:
        """A gzip-compressed dump of the store (``coopgraph.nq.gz`` or ``coopgraph.ttl.gz``).

        Raises
        ------
        NotFound
            For any other file name.
        """
        return self.cache.get(("dump", name), lambda: dataset.dump_bytes(self.store, name))
