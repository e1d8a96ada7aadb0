"""RDF files: the formats the loaders read, and parsing with the file and line of an error.

Every parse goes through :func:`coopgraph.rdfinput.checked_bytes` first, so no parser fetches
(a JSON-LD context by IRI) or explodes (RDF/XML entities), and reads the file as a stream: memory
does not grow with the file.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox

from coopgraph.errors import InputError
from coopgraph.rdfinput import checked_bytes

RDF_FORMATS: dict[str, ox.RdfFormat] = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".n3": ox.RdfFormat.N3,
}
"""File extensions the loaders read, and their formats."""


def rdf_format_for(path: Path) -> ox.RdfFormat:
    """The RDF format of ``path`` by its extension.

    Raises :class:`~coopgraph.errors.InputError` for an extension not in :data:`RDF_FORMATS`.

    >>> rdf_format_for(Path("data/sela-workshop-2011.ttl"))
    <RdfFormat Turtle>
    """
    try:
        return RDF_FORMATS[path.suffix.lower()]
    except KeyError:
        raise InputError(
            f"unknown RDF file extension {path.suffix!r} (known: {', '.join(RDF_FORMATS)})", path
        ) from None


def input_error(exc: SyntaxError, path: Path) -> InputError:
    """An :class:`InputError` with the file and line of a pyoxigraph parse error.

    >>> str(input_error(SyntaxError("unexpected end", ("a.ttl", 3, 7, "")), Path("a.ttl")))
    'a.ttl:3:7: unexpected end'
    """
    return InputError(exc.msg or str(exc), path, exc.lineno, exc.offset)


def iter_triples(path: Path) -> Iterator[ox.Triple]:
    """The triples of an RDF file, parsed as they are read; quads lose their graph name.

    The file is checked by :func:`coopgraph.rdfinput.checked_bytes` before any parser sees it
    (RDF/XML entity declarations and JSON-LD contexts given by IRI are refused), then streamed:
    only the triple being read is held, whatever the size of the file.

    Parameters
    ----------
    path
        The file; its extension gives the format (:data:`RDF_FORMATS`).

    Yields
    ------
    pyoxigraph.Triple
        Each triple of the file; those of an N-Quads or TriG file whatever their graph.

    Raises
    ------
    InputError
        With the file, line and column of a syntax error, or the reason a check refused it.

    Examples
    --------
    >>> next(iter_triples(Path("data/sela-workshop-2011.ttl"))).subject  # doctest: +ELLIPSIS
    <NamedNode value=https://w3id.org/coopgraph/id/...>
    """
    fmt = rdf_format_for(path)
    checked = checked_bytes(path)
    try:
        quads = ox.parse(checked, format=fmt) if checked is not None else ox.parse(path=str(path), format=fmt)
        for quad in quads:
            yield quad.triple
    except SyntaxError as exc:
        raise input_error(exc, path) from exc
    except OSError as exc:
        raise InputError(str(exc), path) from exc


def check_syntax(path: Path) -> None:
    """Parse ``path`` to the end without keeping anything; :class:`InputError` with file and line.

    >>> check_syntax(Path("no-such-file.ttl"))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    coopgraph.errors.InputError: no-such-file.ttl: ...
    """
    deque(iter_triples(path), maxlen=0)


def parse_file(path: Path) -> list[ox.Quad]:
    """Parse an RDF file completely (checked as :func:`iter_triples`), with file and line of an error.

    Holds every quad: for small files. Loads stream with :func:`iter_triples`.

    >>> parse_file(Path("no-such-file.ttl"))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    coopgraph.errors.InputError: no-such-file.ttl: ...
    """
    fmt = rdf_format_for(path)
    checked = checked_bytes(path)
    try:
        if checked is not None:
            return list(ox.parse(checked, format=fmt))
        return list(ox.parse(path=str(path), format=fmt))
    except SyntaxError as exc:
        raise input_error(exc, path) from exc
    except OSError as exc:
        raise InputError(str(exc), path) from exc
