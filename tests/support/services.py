"""A running coopgraph service, as the API tests see it (started by the ``service`` fixture)."""

from __future__ import annotations

from dataclasses import dataclass

QUERY_TIMEOUT = 2.0
MAX_ROWS = 2000


@dataclass(frozen=True)
class Service:
    """A running coopgraph service."""

    url: str
    kind: str
    query_timeout: float = QUERY_TIMEOUT
    max_rows: int = MAX_ROWS

    @property
    def sparql(self) -> str:
        return self.url + "/sparql"
