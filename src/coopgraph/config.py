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
    """Seconds a SPARQL query may run before the client gets 503."""
    query_workers: int = 2
    """Worker processes that run user queries (each is killed and replaced on timeout)."""
    max_rows: int = 10_000
    """Largest number of SELECT rows returned; more are cut and the response says so."""
    max_request_bytes: int = 1_048_576
    """Largest body a POST to ``/sparql`` may have (a query of 1 MiB is generous); larger gets 413."""
    max_validate_bytes: int = 64 * 1_048_576
    """Largest total size of the files one validation reads (SHACL holds ~50x the data in memory)."""
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
