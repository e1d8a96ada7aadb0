"""Settings of coopgraph: one typed object read from ``COOPGRAPH_*`` environment variables.

The settings are built once by the caller (the CLI or the app factory) and passed in; nothing
reads the environment at import time.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path
from typing import Any

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEPRECATED_ENV = {"COOPGRAPH_DATA_DIR": "COOPGRAPH_STORE_DIR"}
"""Environment variables still read under their old names, and the names that replace them."""


def _default_project_dir() -> Path:
    """The folder that holds ``ontology/``, ``shapes/``, ``data/`` and ``queries/``.

    A source checkout (the package installed in editable mode) finds its own repository; an
    installed package uses the working directory.
    """
    here = Path(__file__).resolve().parents[2]
    if (here / "ontology").is_dir() and (here / "queries").is_dir():
        return here
    return Path.cwd()


class Settings(BaseSettings):
    """Settings of the library, the CLI and the service.

    Every field can be set from the environment with the ``COOPGRAPH_`` prefix, e.g.
    ``COOPGRAPH_SPARQL_ENDPOINT=http://localhost:7878/query``.

    Examples
    --------
    >>> s = Settings(in_memory=True)
    >>> s.query_timeout
    10.0
    """

    model_config = SettingsConfigDict(env_prefix="COOPGRAPH_", extra="ignore")

    project_dir: Path = Field(default_factory=_default_project_dir)
    """Folder holding the knowledge folders (ontology, shapes, data, queries)."""
    store_dir: Path = Path(".coopgraph")
    """Where the embedded store keeps its files (relative paths are under ``project_dir``).
    ``COOPGRAPH_DATA_DIR``, its former name, is still read, with a deprecation warning."""
    in_memory: bool = False
    """Keep the embedded store in memory (tests, throw-away runs)."""

    sparql_endpoint: str | None = None
    """A remote SPARQL 1.1 query endpoint; when set, it replaces the embedded store."""
    sparql_update_endpoint: str | None = None
    """The remote endpoint's update URL (needed to load data into it)."""
    sparql_graph_store: str | None = None
    """The remote endpoint's Graph Store Protocol URL; when set, graphs are loaded with a PUT of
    N-Triples there instead of a SPARQL update (Virtuoso: ``/sparql-graph-crud-auth``, see
    ``docs/remote-endpoints.md``)."""
    sparql_user: str | None = None
    sparql_password: str | None = None
    remote_timeout: float = 30.0
    """Seconds any request to the remote SPARQL endpoint may wait for its answer (reads and
    loads); a user query on ``/sparql`` is still stopped after ``query_timeout``."""

    base_url: str | None = None
    """The public base URL of the service; defaults to the URL a request came in on."""
    host: str = "127.0.0.1"
    port: int = 8000

    query_timeout: float = 10.0
    """Seconds a SPARQL query may run, from when a worker takes it, before the client gets 503."""
    query_workers: int = 2
    """Worker processes that run user queries (each is killed and replaced on timeout)."""
    query_workers_max: int | None = None
    """Most query workers: the pool grows from ``query_workers`` while queries wait and stops extra
    workers idle for a minute. Default: four per CPU core, no more than the machine's memory holds
    at ``query_memory`` each, never fewer than ``query_workers``."""
    query_queue_wait: float = 2.0
    """Seconds a query may wait for a free worker before the client gets 503 with ``Retry-After``
    (the time limit, ``query_timeout``, starts when a worker takes the query)."""
    queries_per_client: int = 2
    """Queries one client (its remote address) may have running at once; more get 429. A client
    with a query running may not take the last free worker."""
    query_memory: int = 2 * 1_073_741_824
    """Bytes of memory a worker may add to its size at start while it runs a query; a query that
    needs more gets 503 and its worker is replaced."""
    max_rows: int = 10_000
    """Largest number of SELECT rows returned; more are cut and the response says so."""
    max_request_bytes: int = 1_048_576
    """Largest body a POST to ``/sparql`` may have (a query of 1 MiB is generous); larger gets 413."""
    max_validate_bytes: int = 16 * 1_048_576
    """Largest total size of the files one validation reads (SHACL holds 50-100x the data in memory: a 50 MB file took 4.8 GB)."""
    max_query_depth: int = 64
    """Deepest nesting of ``{``, ``(`` and ``[`` a query may have; deeper gets 400 before the engine
    sees it (the deepest named query nests 12; Oxigraph crashes at a few thousand)."""
    max_query_chain: int = 1000
    """Most operators (``||``, ``+``, ``!``, path ``/``, ``UNION``...) one group may chain; more
    gets 400 before the engine sees it (Oxigraph parses chains recursively: fine at 2,000,
    crashes at 10,000)."""
    body_timeout: float = 10.0
    """Seconds a client may take to send a whole request (line, headers, body) once it starts;
    slower gets 408 and the connection is closed. A connection idle that long is closed too."""
    max_head_bytes: int = 65_536
    """Largest request line and headers together; larger gets 431 and the connection is closed
    (a query longer than this is sent by POST)."""
    suggest_max_chars: int = 100
    """Longest path after ``/id/`` whose 404 suggests close matches; a longer one gets a plain 404."""
    cors_origins: list[str] = ["*"]
    """Origins whose browser scripts may read the service's answers (CORS); ``*`` allows any."""
    allow_service: bool = False
    """Allow SPARQL SERVICE (federated queries) at all."""
    service_allowlist: list[str] = []
    """Endpoints SERVICE may call when ``allow_service`` is on."""
    publish_analysis: bool = True
    """Compute the network measures at start-up and publish them in the ``analysis`` graph
    (embedded store only; skipped when nothing was reloaded and the graph is there)."""
    reload_data: bool = False
    """Reload every graph at start-up even when its files did not change (``serve --reload-data``)."""
    cache_bytes: int = 64 * 1_048_576
    """Bytes of answers the result cache of ``/sparql`` and ``/queries`` may hold (least recently
    used go first); 0 turns the cache off."""
    tokens_file: Path | None = None
    """The bearer tokens of writers, hashed (``coopgraph token create``); default: ``tokens.json``
    in the store folder. With no token in it the service does not write."""
    audit_log: Path | None = None
    """The append-only log of every write (JSON lines); default: ``audit.jsonl`` in the store folder."""
    max_write_bytes: int = 32 * 1_048_576
    """Largest body of a write (``/graph-store`` PUT or POST, ``/update``); larger gets 413."""
    max_csv_bytes: int = 2 * 1_048_576
    """Largest CSV file of a template (``coopgraph ingest``, ``POST /contribute/csv``); larger is refused."""
    max_csv_rows: int = 2_000
    """Most data rows of one CSV file (the gate validates them at once: about 15 s for 2,000 activities)."""
    submissions_dir: Path | None = None
    """Where contributions wait for review, one file each, outside the store; default:
    ``submissions`` in the store folder."""
    session_hours: float = 8.0
    """Hours a browser session (``/login``) lasts; the token is still checked on every request."""
    cache_remote_seconds: float = 0.0
    """Seconds an answer of a remote endpoint may be served from the cache. Others may write a
    remote endpoint without coopgraph knowing, so a change there is seen only after this long;
    0 (the default) never caches a remote endpoint's answers."""

    @model_validator(mode="before")
    @classmethod
    def _deprecated_names(cls, values: Any) -> Any:
        """Read ``COOPGRAPH_DATA_DIR`` as ``store_dir`` when the new name is not set, and say so."""
        if not isinstance(values, dict):
            return values
        for old, new in DEPRECATED_ENV.items():
            field = new.removeprefix("COOPGRAPH_").lower()
            if old in os.environ and field not in values and new not in os.environ:
                warnings.warn(f"{old} is deprecated: set {new} instead", FutureWarning, stacklevel=2)
                values = {**values, field: os.environ[old]}
        return values

    @property
    def ontology_dir(self) -> Path:
        return self.project_dir / "ontology"

    @property
    def shapes_dir(self) -> Path:
        return self.project_dir / "shapes"

    @property
    def instance_dir(self) -> Path:
        return self.project_dir / "data"

    @property
    def queries_dir(self) -> Path:
        return self.project_dir / "queries"

    @property
    def store_path(self) -> Path:
        """``store_dir`` resolved against ``project_dir``."""
        path = self.store_dir
        return path if path.is_absolute() else self.project_dir / path
