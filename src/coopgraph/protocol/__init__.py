"""The SPARQL 1.1 Protocol, without the web framework: checking, running and serialising queries.

- :mod:`~coopgraph.protocol.check`: what is refused before a query runs (updates, ``SERVICE``)
- :mod:`~coopgraph.protocol.results`: answers as bytes in the negotiated format, with the row cap
- :mod:`~coopgraph.protocol.jobs`: :class:`Job`, a query to run with everything decided about it
- :mod:`~coopgraph.protocol.workers`: :class:`QueryPool`, the worker processes of an embedded store
- :mod:`~coopgraph.protocol.runner`: :class:`QueryRunner`, the one entry point, and the remote path
- :mod:`~coopgraph.protocol.description`: the SPARQL Service Description
"""

from coopgraph.protocol.check import QUERY_BASE, READ_ONLY_MESSAGE, check_query
from coopgraph.protocol.description import service_description
from coopgraph.protocol.jobs import Job, run_job
from coopgraph.protocol.results import (
    MAX_ROWS_HEADER,
    TRUNCATED_HEADER,
    Answer,
    serialize_result,
    serialize_solutions,
    serialize_tsv,
)
from coopgraph.protocol.runner import QueryRunner, run_remote
from coopgraph.protocol.workers import QueryPool
from coopgraph.sparqltext import QueryInfo

__all__ = [
    "MAX_ROWS_HEADER",
    "QUERY_BASE",
    "READ_ONLY_MESSAGE",
    "TRUNCATED_HEADER",
    "Answer",
    "Job",
    "QueryInfo",
    "QueryPool",
    "QueryRunner",
    "check_query",
    "run_job",
    "run_remote",
    "serialize_result",
    "serialize_solutions",
    "serialize_tsv",
    "service_description",
]
