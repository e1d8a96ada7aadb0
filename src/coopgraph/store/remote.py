"""The remote back end: any SPARQL 1.1 endpoint, over the SPARQL 1.1 Protocol.

:meth:`RemoteStore.request` is the one HTTP client coopgraph has for a remote endpoint: the
store's own reads and writes and the service's user queries all go through it, with one timeout
(``COOPGRAPH_REMOTE_TIMEOUT``) and the same credentials.

The engines differ in ways the protocol leaves open; what coopgraph evens out here, and why, is
written in ``docs/remote-endpoints.md``. The store learns which engine it talks to from the
``Server`` header of the endpoint's answers, so nothing needs configuring: for Virtuoso it leaves
the engine's own graphs out of the store's named graphs, reads its ASK answers and blank nodes,
cuts its error bodies to the message and the line, and refuses its partial ("anytime") answers
as timeouts; any endpoint's Digest authentication challenge is answered.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator, Sequence
from email.message import Message
from pathlib import Path
from typing import NoReturn

import pyoxigraph as ox

from coopgraph.config import Settings
from coopgraph.errors import QueryError, QueryTimeout
from coopgraph.queries import catalogue_for
from coopgraph.sparqltext import Bindings, with_values
from coopgraph.store.base import Progress, Row, Store, as_quad, query_error
from coopgraph.store.files import iter_triples

RESULTS_JSON = "application/sparql-results+json"
RESULTS_XML = "application/sparql-results+xml"
N_TRIPLES = "application/n-triples"

VIRTUOSO_SYSTEM_GRAPHS = (
    "http://www.openlinksw.com/schemas/virtrdf#",
    "http://www.w3.org/ns/ldp#",
    "http://localuriqaserver/sparql",
)
"""The graphs every Virtuoso database holds from its creation (its quad-map schema, the LDP
vocabulary, the URIQA example): part of its default graph and its named graphs, never data, so
not among the store's :meth:`RemoteStore.named_graphs`. A query still sees them: Virtuoso's
``define input:default-graph-exclude`` would hide them, but then answers ``GRAPH <g>`` patterns
wrongly (docs/remote-endpoints.md)."""
# Virtuoso answers ASK with one column of this name (1 row: true, no row: false), whatever the format
_VIRTUOSO_ASK_COLUMN = b'"__ASK_RETVAL"'
_VIRTUOSO_BNODE = b'"type": "bnode", "value": "nodeID://'
_VIRTUOSO_ERROR = re.compile(r"^Virtuoso (\w+) Error (\w+): ?(.*?)(?:\n\s*\nSPARQL query:.*)?$", re.DOTALL)
_VIRTUOSO_PAGE = re.compile(r"<h3>Error (\w+)</h3>\s*<xmp>(.*?)</xmp>", re.DOTALL)
_VIRTUOSO_LINE = re.compile(r"\bline (\d+)\b")


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
    graph_store
        The Graph Store Protocol URL: graphs are then written with a PUT of N-Triples there,
        not with a SPARQL update (``COOPGRAPH_SPARQL_GRAPH_STORE``).

    Notes
    -----
    Parameters are bound by :func:`~coopgraph.sparqltext.with_values`, as on the embedded store.
    The endpoint must expose the union of its named graphs as its default graph (``oxigraph
    serve --union-default-graph``, Fuseki's ``tdb:unionDefaultGraph``, GraphDB and Virtuoso by
    default) for coopgraph's queries to see the data. Over Virtuoso, loading needs its Graph Store
    (``graph_store``) and its row limit (``ResultSetMaxRows``) must be raised: see
    ``docs/remote-endpoints.md``.

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
        graph_store: str | None = None,
    ) -> None:
        self.endpoint = endpoint
        self.graph_store = graph_store
        self.queries_dir = queries_dir
        self.update_endpoint = update_endpoint
        self.user = user
        self.password = password
        self.timeout = timeout
        self.engine: str | None = None
        """The engine behind the endpoint, read from its ``Server`` header (``virtuoso``, or
        ``other``); ``None`` until it first answers."""
        self._challenged_urls: set[str] = set()

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
        if self.engine == "virtuoso" and accept == RESULTS_JSON:
            # Virtuoso writes SPARQL XML several times faster than SPARQL JSON (0.5 s against
            # 1.9 s for 14,000 rows): asked for XML, read back as JSON
            body, content_type = self._post(self.endpoint, fields, RESULTS_XML, timeout)
            if "xml" in content_type:
                return _virtuoso_xml_as_json(body), RESULTS_JSON
        else:
            body, content_type = self._post(self.endpoint, fields, accept, timeout)
        if self.engine == "virtuoso" and "json" in content_type:
            body = _virtuoso_json(body)
        return body, content_type

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
        data = urllib.parse.urlencode(fields).encode()
        return self._call("POST", url, data, "application/x-www-form-urlencoded", accept, timeout)

    def _call(
        self, method: str, url: str, data: bytes, content_type: str, accept: str, timeout: float | None
    ) -> tuple[bytes, str]:
        seconds = self.timeout if timeout is None else timeout
        try:
            try:
                return self._send(method, url, data, content_type, accept, seconds)
            except urllib.error.HTTPError as exc:
                if exc.code != 401 or not self.user or url in self._challenged_urls:
                    raise
                exc.close()
                # the endpoint wants another scheme than Basic (Virtuoso's /sparql-auth: Digest):
                # from now on its challenge is answered
                self._challenged_urls.add(url)
                return self._send(method, url, data, content_type, accept, seconds)
        except urllib.error.HTTPError as exc:
            self._note_engine(exc.headers)
            message = exc.read().decode("utf-8", "replace").strip() or str(exc)
            if exc.code == 401:
                raise QueryError(f"the SPARQL endpoint {url} refused the credentials (401)") from exc
            if self.engine == "virtuoso":
                _raise_virtuoso_error(url, exc.code, message, exc)
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

    def _send(
        self, method: str, url: str, data: bytes, content_type: str, accept: str, seconds: float
    ) -> tuple[bytes, str]:
        """One request; Basic credentials sent up front, or the challenge of ``url`` answered."""
        request = urllib.request.Request(
            url, data=data, headers={"Accept": accept, "Content-Type": content_type}, method=method
        )
        if url in self._challenged_urls:
            passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            passwords.add_password(None, url, self.user or "", self.password or "")
            opener = urllib.request.build_opener(
                urllib.request.HTTPDigestAuthHandler(passwords),
                urllib.request.HTTPBasicAuthHandler(passwords),
            )
            opened = opener.open(request, timeout=seconds)
        else:
            if self.user:
                token = base64.b64encode(f"{self.user}:{self.password or ''}".encode()).decode()
                request.add_header("Authorization", f"Basic {token}")
            opened = urllib.request.urlopen(request, timeout=seconds)
        with opened as response:
            self._note_engine(response.headers)
            if response.headers.get("X-SQL-State") == "S1TAT":
                # Virtuoso's "anytime" answer: what it found before its time limit, with 200
                raise QueryTimeout(seconds)
            return response.read(), response.headers.get("Content-Type", accept)

    def _note_engine(self, headers: Message) -> None:
        if self.engine is None:
            server = (headers.get("Server") or "").lower()
            self.engine = "virtuoso" if server.startswith("virtuoso") else "other"

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
            before = len(triples)
            triples += iter_triples(path)  # all parse (checked first) before any is sent
            if progress:
                progress(len(triples) - before)
        return self.put_graph(graph, triples)

    def put_graph(self, graph: str, triples: Iterable[ox.Triple]) -> int:
        """Replace the content of ``graph`` with ``triples`` in one request (one transaction).

        A Graph Store Protocol PUT of N-Triples when the store has ``graph_store``, else a SPARQL
        update (``DROP SILENT GRAPH`` and ``INSERT DATA``).
        """
        target = ox.NamedNode(graph)
        lines = [f"{t.subject} {t.predicate} {t.object} ." for t in triples]  # all before sending
        body = "\n".join(lines)
        if self.graph_store:
            url = self.graph_store + ("&" if "?" in self.graph_store else "?")
            url += urllib.parse.urlencode({"graph": graph})
            self._call("PUT", url, (body + "\n").encode(), N_TRIPLES, "*/*", None)
        else:
            self.update(f"DROP SILENT GRAPH {target} ;\nINSERT DATA {{ GRAPH {target} {{\n{body}\n}} }}")
        return len(lines)

    def drop_graph(self, graph: str) -> None:
        self.update(f"DROP SILENT GRAPH {ox.NamedNode(graph)}")

    def _internal(self, name: str) -> str:
        return catalogue_for(self.queries_dir or Settings().queries_dir).internal(name).text

    def named_graphs(self) -> list[str]:
        rows = self.select(self._internal("graph-sizes"))
        graphs = (r["graph"].value for r in rows if isinstance(r.get("graph"), ox.NamedNode))
        hidden = VIRTUOSO_SYSTEM_GRAPHS if self.engine == "virtuoso" else ()
        return sorted(g for g in graphs if g not in hidden)

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


def _virtuoso_json(body: bytes) -> bytes:
    """Virtuoso's SPARQL JSON results as the standard says them.

    Its blank nodes are ``nodeID://b1``, which no RDF syntax reads as a label: they become ``b1``
    (the label its N-Triples gives the same node). Its answer to ASK is one column,
    ``__ASK_RETVAL``, in any format (one row: true, no row: false): it becomes the boolean.

    >>> _virtuoso_json(b'{"head": {"vars": ["__ASK_RETVAL"]}, "results": {"bindings": []}}')
    b'{"head": {}, "boolean": false}'
    >>> _virtuoso_json(b'{ "s": { "type": "bnode", "value": "nodeID://b10004" }}')
    b'{ "s": { "type": "bnode", "value": "b10004" }}'
    """
    body = body.replace(_VIRTUOSO_BNODE, b'"type": "bnode", "value": "')
    if _VIRTUOSO_ASK_COLUMN not in body[:200]:
        return body
    parsed = json.loads(body)
    if parsed.get("head", {}).get("vars") != ["__ASK_RETVAL"]:
        return body
    rows = parsed.get("results", {}).get("bindings", [])
    answer = bool(rows) and rows[0].get("__ASK_RETVAL", {}).get("value") not in ("0", "false")
    return json.dumps({"head": {}, "boolean": answer}).encode()


def _virtuoso_xml_as_json(body: bytes) -> bytes:
    """Virtuoso's SPARQL XML results as standard SPARQL JSON (blank nodes and ASK as in
    :func:`_virtuoso_json`).

    >>> xml = b'<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head><variable name="b"/></head>'
    >>> xml += b'<results><result><binding name="b"><bnode>nodeID://b7</bnode></binding></result></results></sparql>'
    >>> _virtuoso_xml_as_json(xml)
    b'{"head":{"vars":["b"]},"results":{"bindings":[{"b":{"type":"bnode","value":"b7"}}]}}'
    """
    results = ox.parse_query_results(body.replace(b"<bnode>nodeID://", b"<bnode>"), ox.QueryResultsFormat.XML)
    if isinstance(results, ox.QuerySolutions) and [v.value for v in results.variables] == ["__ASK_RETVAL"]:
        rows = list(results)
        answer = bool(rows) and rows[0]["__ASK_RETVAL"].value not in ("0", "false")
        return json.dumps({"head": {}, "boolean": answer}).encode()
    converted = results.serialize(format=ox.QueryResultsFormat.JSON)
    if converted is None:
        raise QueryError("the SPARQL JSON serialiser wrote nothing")
    return converted


def _raise_virtuoso_error(url: str, status: int, body: str, cause: Exception) -> NoReturn:
    """Raise the :class:`QueryError` a Virtuoso error body means: its message, without the query
    it repeats, and the line it names.

    Virtuoso says ``Virtuoso <SQL state> Error <code>: <message>``; states of class 37 (SPARQL
    compiler) and 42 (security, e.g. a write without permission) and 22 (bad data) are the
    client's; others are the endpoint failing.

    >>> _raise_virtuoso_error("u", 400, "Virtuoso 37000 Error SP030: SPARQL compiler, line 3: syntax error"
    ...     "\\n\\nSPARQL query:\\nSELECT", ValueError())
    Traceback (most recent call last):
    ...
    coopgraph.errors.QueryError: line 3: SP030: SPARQL compiler, line 3: syntax error
    """
    page = _VIRTUOSO_PAGE.search(body)  # the Graph Store's errors come as an HTML page
    if page:
        body = f"Virtuoso {page.group(1)} Error GSP: {html.unescape(page.group(2)).strip()}"
    match = _VIRTUOSO_ERROR.match(body)
    if match is None:
        raise QueryError(f"the SPARQL endpoint {url} answered {status}: {body}") from cause
    state, code, message = match.groups()
    message = f"{code}: {message.strip()}"
    if status < 500 or state[:2] in ("37", "42", "22"):
        line = _VIRTUOSO_LINE.search(message)
        raise QueryError(message, line=int(line.group(1)) if line else None) from cause
    raise QueryError(f"the SPARQL endpoint {url} answered {status}: {message}") from cause
