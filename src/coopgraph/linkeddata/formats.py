"""The formats a resource is served as, and how a request names one (extension, ``?format=``)."""

from __future__ import annotations

from coopgraph.errors import ParameterError
from coopgraph.negotiation import DATASET_TYPES, GRAPH_TYPES, HTML, MediaType, by_extension

RESOURCE_MEDIA_TYPES: tuple[MediaType, ...] = (*GRAPH_TYPES, *DATASET_TYPES, HTML)
"""What a resource can be served as; Turtle first, the default for ``*/*``."""


def split_extension(path: str) -> tuple[str, MediaType | None]:
    """Split a known format extension off a path.

    Examples
    --------
    >>> split_extension("party/colombia.ttl")[0], split_extension("party/colombia.ttl")[1].name
    ('party/colombia', 'turtle')
    >>> split_extension("party/colombia")
    ('party/colombia', None)
    """
    stem, dot, ext = path.rpartition(".")
    if dot and "/" not in ext:
        media = by_extension(ext, RESOURCE_MEDIA_TYPES)
        if media is not None and media.extension == ext.lower():
            return stem, media
    return path, None


def format_override(value: str | None) -> MediaType | None:
    """The format a ``?format=`` value names (extension or short name), or ``None`` if absent.

    Raises
    ------
    ParameterError
        When the value names no format the service writes.

    Examples
    --------
    >>> format_override("jsonld").media_type
    'application/ld+json'
    >>> format_override("") is None
    True
    """
    if value is None or value == "":
        return None
    media = by_extension(value, RESOURCE_MEDIA_TYPES)
    if media is None:
        known = ", ".join(m.extension for m in RESOURCE_MEDIA_TYPES)
        raise ParameterError("format", f"{value!r} is not a known format (known: {known})")
    return media
