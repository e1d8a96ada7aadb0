"""A minimal FastAPI wrapper over pyoxigraph: the baseline the SPARQL service is measured against.

What a user would write in a few lines: one route, the query run in the server process, JSON
results. No time limit (a runaway query holds a thread until it ends), no content negotiation,
no row cap, no settings. ``bench/minimal.py`` starts it with uvicorn over a store folder::

    MINIMAL_STORE=path/to/store uvicorn minimal_server:app --app-dir bench
"""

from __future__ import annotations

import os

import pyoxigraph as ox
from fastapi import FastAPI, Form, Response

store = ox.Store.read_only(os.environ["MINIMAL_STORE"])
app = FastAPI()


@app.post("/sparql")
def sparql(query: str = Form(...)) -> Response:
    result = store.query(query, use_default_graph_as_union=True)
    body = result.serialize(format=ox.QueryResultsFormat.JSON)
    return Response(body, media_type="application/sparql-results+json")
