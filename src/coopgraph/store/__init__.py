"""The store interface and its two back ends.

:class:`EmbeddedStore` keeps the graph in an Oxigraph store inside the process (on disk under
``COOPGRAPH_STORE_DIR``, or in memory); :class:`RemoteStore` speaks the SPARQL 1.1 Protocol to
any endpoint (Oxigraph server, Fuseki, Virtuoso, GraphDB, QLever). Both answer the calls of
:class:`Store` with pyoxigraph terms, so the rest of coopgraph does not know which one it has.

- :mod:`~coopgraph.store.base`: the :class:`Store` interface, row and term types
- :mod:`~coopgraph.store.files`: RDF file formats and parsing
- :mod:`~coopgraph.store.embedded`: :class:`EmbeddedStore`, its lock file and manifest
- :mod:`~coopgraph.store.remote`: :class:`RemoteStore`, the one HTTP client for an endpoint
- :mod:`~coopgraph.store.load`: opening the store and loading the knowledge folders
"""

from coopgraph.sparqltext import Bindings, with_values
from coopgraph.store.base import Progress, Row, Store, Term, as_quad, iter_rows, query_error, row_values
from coopgraph.store.embedded import LOCK_FILE, READ_ONLY_NOTE, EmbeddedStore
from coopgraph.store.files import RDF_FORMATS, input_error, parse_file, rdf_format_for
from coopgraph.store.load import GraphSource, LoadReport, load_project, open_store, project_sources
from coopgraph.store.remote import RemoteStore

__all__ = [
    "LOCK_FILE",
    "RDF_FORMATS",
    "READ_ONLY_NOTE",
    "Bindings",
    "EmbeddedStore",
    "GraphSource",
    "LoadReport",
    "Progress",
    "RemoteStore",
    "Row",
    "Store",
    "Term",
    "as_quad",
    "input_error",
    "iter_rows",
    "load_project",
    "open_store",
    "parse_file",
    "project_sources",
    "query_error",
    "rdf_format_for",
    "row_values",
    "with_values",
]
