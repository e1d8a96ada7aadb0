"""Running protocol jobs on whatever store the service has, under the time limit.

On an embedded store the jobs go to worker processes (:class:`~coopgraph.protocol.workers.QueryPool`);
on a remote store the remote server runs the query, through the store's one HTTP client, and a
timeout on the request is enough (:func:`run_remote`).
"""

from __future__ import annotations

import asyncio
from typing import cast

import pyoxigraph as ox

from coopgraph.config import Settings
from coopgraph.errors import QueryError, QueryTimeout
from coopgraph.protocol.jobs import Job
from coopgraph.protocol.results import Answer, serialize_result, serialize_tsv, written
from coopgraph.protocol.workers import QueryPool
from coopgraph.store import EmbeddedStore, RemoteStore, Store

_N_TRIPLES = "application/n-triples"
_RESULTS_JSON = "application/sparql-results+json"


def run_remote(store: RemoteStore, job: Job, timeout: float) -> Answer:
    """Send ``job`` to the remote endpoint over the SPARQL protocol and cap its answer.

    Blocking; the caller runs it in a thread. A socket timeout of ``timeout`` seconds becomes
    :class:`QueryTimeout`.
    """
    accept = _N_TRIPLES if job.graph_answer else _RESULTS_JSON
    try:
        body, content_type = store.request(
            job.text,
            accept,
            default_graph_uris=job.default_graph,
            named_graph_uris=job.named_graphs,
            bindings=job.bindings,
            timeout=timeout,
        )
    except QueryError as exc:
        raise job.client_error(exc) from exc
    media = job.media
    if job.graph_answer:
        if media.rdf_format == ox.RdfFormat.N_TRIPLES:
            return Answer(body, media.content_type)
        triples = (q.triple for q in ox.parse(body, format=ox.RdfFormat.N_TRIPLES))
        return serialize_result(triples, media, job.max_rows)
    if "json" not in content_type:
        raise QueryError(f"the SPARQL endpoint answered {content_type}, not SPARQL JSON results")
    result = ox.parse_query_results(body, ox.QueryResultsFormat.JSON)
    if isinstance(result, ox.QueryBoolean):
        return serialize_result(result, media, job.max_rows)
    return serialize_tsv(written(result.serialize(format=ox.QueryResultsFormat.TSV)), media, job.max_rows)


class QueryRunner:
    """Runs protocol jobs on whatever store the service has, under the time limit.

    Parameters
    ----------
    store
        The service's store.
    settings
        Gives ``query_workers`` and ``query_timeout``.
    """

    def __init__(self, store: Store, settings: Settings) -> None:
        self.store = store
        self.timeout = settings.query_timeout
        self.pool: QueryPool | None = None
        if store.engine_in_process:
            # the engine would run in this process: user queries go to killable workers
            self.pool = QueryPool(cast(EmbeddedStore, store), settings.query_workers, settings.query_timeout)

    def start(self) -> None:
        """Start the worker processes, if the store is embedded."""
        if self.pool is not None:
            self.pool.start()

    async def run(self, job: Job) -> Answer:
        """Run ``job``; :class:`QueryTimeout` past the limit, :class:`QueryError` when it fails."""
        if self.pool is not None:
            return await self.pool.run(job)
        remote = cast(RemoteStore, self.store)
        try:
            return await asyncio.wait_for(
                asyncio.to_thread(run_remote, remote, job, self.timeout), self.timeout + 1
            )
        except TimeoutError:
            raise QueryTimeout(self.timeout) from None

    def close(self) -> None:
        """Stop the worker processes."""
        if self.pool is not None:
            self.pool.close()
