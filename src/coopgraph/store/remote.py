"""The remote back end: any SPARQL 1.1 endpoint, over the SPARQL 1.1 Protocol.

:meth:`RemoteStore.request` is the one HTTP client coopgraph has for a remote endpoint: the
store's own reads and writes and the service's user queries all go through it, with one timeout
(``COOPGRAPH_REMOTE_TIMEOUT``) and the same credentials.
"""

from __future__ import annotations

import base64
import hashlib
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import pyoxigraph as ox

from coopgraph.config import Settings
from coopgraph.errors import QueryError, QueryTimeout
from coopgraph.queries import catalogue_for
from coopgraph.sparqltext import Bindings, with_values
from coopgraph.store.base import Progress, Row, Store, as_quad, query_error
from coopgraph.store.files import parse_file

RESULTS_JSON = "application/sparql-results+json"
N_TRIPLES = "application/n-triples"


class RemoteStore(Store):
    """Any SPARQL 1.1 endpoint.

    Parameters
    ----------
    endpoint
        The query URL.
    update_endpoint
        The update URL, needed to write graphs.
    user, password
        HTTP basic credentials, if the endpoint needs them.
    timeout
        Seconds a request may wait for the endpoint (``COOPGRAPH_REMOTE_TIMEOUT``).
    queries_dir
        The folder of the named queries, whose ``internal/`` queries read the store back
        (default: the settings' ``queries_dir``).

    Notes
    -----
    Parameters are bound by :func:`~coopgraph.sparqltext.with_values`, as on the embedded store.
    The endpoint must expose the union of its named graphs as its default graph (``oxigraph
    serve --union-default-graph``, Fuseki's ``tdb:unionDefaultGraph``, GraphDB and Virtuoso by
    default) for coopgraph's queries to see the data.

    Examples
    --------
    >>> store = RemoteStore("http://127.0.0.1:9/query", timeout=1)
    >>> store.select("SELECT * WHERE { ?s ?p ?o }")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    coopgraph.errors.QueryError: cannot reach the SPARQL endpoint http://127.0.0.1:9/query: ...
    """

    kind = "remote"
    engine_in_process = False
    holds_computed_graphs = False

    def __init__(
        self,
        endpoint: str,
        update_endpoint: str | None = None,
        user: str | None = None,
        password: str | None = None,
        timeout: float = 30.0,
        queries_dir: Path | None = None,
    ) -> None:
        self.endpoint = endpoint
        self.queries_dir = queries_dir
        self.update_endpoint = update_endpoint
        self.user = user
        self.password = password
        self.timeout = timeout

    # -- the HTTP client ------------------------------------------------------------------
    def request(
        self,
        query: str,
        accept: str,
        *,
        default_graph_uris: Sequence[str] = (),
        named_graph_uris: Sequence[str] = (),
        bindings: Bindings | None = None,
        timeout: float | None = None,
    ) -> tuple[bytes, str]:
        """Send a query (a POST of the SPARQL 1.1 Protocol) and return the answer's body and type.

        Parameters
        ----------
        query
            The SPARQL query.
        accept
            The media types asked for (the ``Accept`` header).
        default_graph_uris, named_graph_uris
            The protocol's ``default-graph-uri`` and ``named-graph-uri``.
        bindings
            Parameters, bound as a ``VALUES`` block.
        timeout
            Seconds to wait for the endpoint (default: the store's ``timeout``).

        Returns
        -------
        tuple[bytes, str]
            The response body and its content type.

        Raises
        ------
        QueryError
            With the endpoint's message when it refuses the query (4xx) or fails (5xx), or when
            it cannot be reached.
        QueryTimeout
            When the endpoint does not answer within ``timeout``.
        """
        fields = [("query", with_values(query, bindings))]
        fields += [("default-graph-uri", g) for g in default_graph_uris]
        fields += [("named-graph-uri", g) for g in named_graph_uris]
        return self._post(self.endpoint, fields, accept, timeout)

    def update(self, update: str, timeout: float | None = None) -> None:
        """Send a SPARQL update (one request: the endpoint applies it as one transaction).

        Raises :class:`QueryError` when no update endpoint is set, or as :meth:`request`.
        """
        if not self.update_endpoint:
            raise QueryError("writing to a remote endpoint needs COOPGRAPH_SPARQL_UPDATE_ENDPOINT")
        self._post(self.update_endpoint, [("update", update)], "*/*", timeout)

    def _post(
        self, url: str, fields: list[tuple[str, str]], accept: str, timeout: float | None
    ) -> tuple[bytes, str]:
        seconds = self.timeout if timeout is None else timeout
        request = urllib.request.Request(
            url,
            data=urllib.parse.urlencode(fields).encode(),
            headers={"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"},
            method="POST",
        )
        if self.user:
            token = base64.b64encode(f"{self.user}:{self.password or ''}".encode()).decode()
            request.add_header("Authorization", f"Basic {token}")
        try:
            with urllib.request.urlopen(request, timeout=seconds) as response:
                return response.read(), response.headers.get("Content-Type", accept)
        except urllib.error.HTTPError as exc:
            message = exc.read().decode("utf-8", "replace").strip() or str(exc)
            if exc.code in (400, 403):
                # the query itself is refused: its position, if the endpoint gives one
                raise query_error(ValueError(message)) from exc
            raise QueryError(f"the SPARQL endpoint {url} answered {exc.code}: {message}") from exc
        except TimeoutError:
            raise QueryTimeout(seconds) from None
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, TimeoutError):
                raise QueryTimeout(seconds) from None
            raise QueryError(f"cannot reach the SPARQL endpoint {url}: {exc.reason}") from exc

    # -- queries --------------------------------------------------------------------------
    def select(self, query: str, bindings: Bindings | None = None) -> list[Row]:
        body, _ = self.request(query, RESULTS_JSON, bindings=bindings)
        results = ox.parse_query_results(body, ox.QueryResultsFormat.JSON)
        if not isinstance(results, ox.QuerySolutions):
            raise QueryError("expected a SELECT query")
        names = [v.value for v in results.variables]
        return [{n: t for n, t in zip(names, solution, strict=True) if t is not None} for solution in results]

    def ask(self, query: str, bindings: Bindings | None = None) -> bool:
        body, _ = self.request(query, RESULTS_JSON, bindings=bindings)
        return bool(ox.parse_query_results(body, ox.QueryResultsFormat.JSON))

    def construct(self, query: str, bindings: Bindings | None = None) -> list[ox.Triple]:
        body, _ = self.request(query, N_TRIPLES, bindings=bindings)
        return [q.triple for q in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)]

    # -- content --------------------------------------------------------------------------
    def replace_graph(self, graph: str, paths: Sequence[Path], progress: Progress | None = None) -> int:
        triples: list[ox.Triple] = []
        for path in paths:
            triples += (quad.triple for quad in parse_file(path))  # all parse before any is sent
            if progress:
                progress(path.stat().st_size)
        return self.put_graph(graph, triples)

    def put_graph(self, graph: str, triples: Iterable[ox.Triple]) -> int:
        """Replace the content of ``graph`` with ``triples`` in one SPARQL update (one transaction)."""
        target = ox.NamedNode(graph)
        lines = [f"{t.subject} {t.predicate} {t.object} ." for t in triples]  # all before sending
        body = "\n".join(lines)
        self.update(f"DROP SILENT GRAPH {target} ;\nINSERT DATA {{ GRAPH {target} {{\n{body}\n}} }}")
        return len(lines)

    def drop_graph(self, graph: str) -> None:
        self.update(f"DROP SILENT GRAPH {ox.NamedNode(graph)}")

    def _internal(self, name: str) -> str:
        return catalogue_for(self.queries_dir or Settings().queries_dir).internal(name).text

    def named_graphs(self) -> list[str]:
        rows = self.select(self._internal("graph-sizes"))
        return sorted(r["graph"].value for r in rows if isinstance(r.get("graph"), ox.NamedNode))

    def quads(self, graph: str | None = None) -> Iterator[ox.Quad]:
        bindings = {"__graph_iri": ox.NamedNode(graph)} if graph else None
        for row in self.select(self._internal("graph-quads"), bindings):
            g = row.get("__graph_iri")
            if isinstance(g, ox.NamedNode):
                yield as_quad(row["s"], row["p"], row["o"], g)

    def version(self) -> str:
        digest = hashlib.sha256()
        for row in self.select(self._internal("graph-sizes")):
            digest.update(f"{row['graph'].value}={row['triples'].value};".encode())
        return digest.hexdigest()[:16]
