"""RDF files: the formats the loaders read, and parsing with the file and line of an error."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from coopgraph.errors import InputError

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


def parse_file(path: Path) -> list[ox.Quad]:
    """Parse an RDF file completely, raising :class:`InputError` with file and line.

    >>> parse_file(Path("no-such-file.ttl"))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    coopgraph.errors.InputError: no-such-file.ttl: ...
    """
    try:
        return list(ox.parse(path=str(path), format=rdf_format_for(path)))
    except SyntaxError as exc:
        raise input_error(exc, path) from exc
    except OSError as exc:
        raise InputError(str(exc), path) from exc
