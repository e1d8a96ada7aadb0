"""Checks on RDF input before a parser sees it: nothing is fetched and nothing explodes.

Two kinds of file make a parser do more than read them:

- RDF/XML that declares entities: entity expansion is unbounded (a 1 KB "billion laughs"
  file grows to gigabytes), so such files are refused before parsing, and so are external DTDs.
  The scan reads bytes, so RDF/XML in an encoding that does not write ``<!ENTITY`` as ASCII
  (UTF-16, UTF-32, EBCDIC) is refused too: only UTF-8 and the ASCII-compatible ISO-8859 family.
- JSON-LD whose ``@context`` is an IRI: the parser would fetch it (``http:``) or open it
  (``file:``). Only the project's own context (``https://w3id.org/coopgraph/context.jsonld``) may
  be named; it is put inline from :data:`coopgraph.namespaces.PREFIXES`. Any other context given
  by IRI is refused; inline contexts are fine.

Every refusal is an :class:`~coopgraph.errors.InputError` naming the file and line.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from coopgraph.errors import InputError
from coopgraph.namespaces import CANONICAL_BASE, PREFIXES

PROJECT_CONTEXT_IRI = CANONICAL_BASE + "context.jsonld"
"""The one JSON-LD context a file may name by IRI: the one the service publishes."""

CHUNK_BYTES = 1_048_576
"""How much of a file is scanned at a time (the scan's memory does not grow with the file)."""

_DECLARATION = re.compile(rb"<!ENTITY|<!DOCTYPE[^>\[]*\b(?:SYSTEM|PUBLIC)\b", re.IGNORECASE)
_OVERLAP = 64
_XML_SUFFIXES = {".rdf", ".owl", ".xml"}
_ENCODING = re.compile(rb"\A(?:\xef\xbb\xbf)?\s*<\?xml\b[^>]*?\bencoding\s*=\s*[\"']([^\"']*)[\"']")
_ASCII_COMPATIBLE = re.compile(r"utf-?8|(?:us-)?ascii|iso[-_]?8859-\d+|latin-?1", re.IGNORECASE)
_WIDE_STARTS = (b"\xfe\xff", b"\xff\xfe", b"\x00\x00\xfe\xff", b"\x00<", b"<\x00", b"\x4c\x6f\xa7\x94")


def _check_encoding(head: bytes, path: Path | None) -> None:
    """Refuse RDF/XML whose bytes would not show an entity declaration as ASCII."""
    declared = _ENCODING.match(head)
    name = declared.group(1).decode("ascii", "replace") if declared else None
    if head.startswith(_WIDE_STARTS) or (name is not None and not _ASCII_COMPATIBLE.fullmatch(name)):
        raise InputError(
            f"RDF/XML in the encoding {name or 'UTF-16/UTF-32 (by its first bytes)'} is refused "
            "(entity declarations could not be checked): write it as UTF-8",
            path,
            1,
        )


def _declaration_at(chunks: Iterable[bytes], path: Path | None) -> tuple[int, bytes] | None:
    """Line and text of the first entity declaration or external DTD in the chunks, if any."""
    line, tail = 1, b""
    for number, chunk in enumerate(chunks):
        if number == 0:
            _check_encoding(chunk[:1024], path)
        window = tail + chunk
        found = _DECLARATION.search(window)
        if found:
            return line + window.count(b"\n", 0, found.start()), found.group(0)
        keep = window[-_OVERLAP:]
        line += window.count(b"\n") - keep.count(b"\n")
        tail = keep
    return None


def check_rdfxml(chunks: Iterable[bytes], path: Path | None = None) -> None:
    r"""Refuse an RDF/XML document that declares entities or names an external DTD.

    Entity expansion is unbounded in the parsers (a 1 KB "billion laughs" file grows to
    gigabytes) and an external DTD is a fetch, so both are refused before any parser runs. The
    document is scanned chunk by chunk: memory stays flat whatever its size.

    Parameters
    ----------
    chunks
        The document, in pieces (a file read in :data:`CHUNK_BYTES` blocks, or ``[data]``).
    path
        The file, for the message.

    Raises
    ------
    InputError
        Naming the line of the declaration; or line 1 for a document in an encoding other than
        UTF-8 or the ISO-8859 family (UTF-16 would hide a declaration from the scan).

    Examples
    --------
    >>> check_rdfxml([b'<?xml version="1.0"?><rdf:RDF xmlns:rdf="x"/>'])
    >>> check_rdfxml([b'<!DOCTYPE r [\n<!ENTITY a "aa">]><r/>'])
    Traceback (most recent call last):
    ...
    coopgraph.errors.InputError: <input>:2: RDF/XML that declares entities or names an external DTD is refused (entity expansion is unbounded, a DTD would be fetched): write the values out
    """
    found = _declaration_at(chunks, path)
    if found is not None:
        raise InputError(
            "RDF/XML that declares entities or names an external DTD is refused (entity "
            "expansion is unbounded, a DTD would be fetched): write the values out",
            path,
            found[0],
        )


def file_chunks(path: Path, size: int = CHUNK_BYTES) -> Iterator[bytes]:
    """The bytes of ``path`` in blocks of ``size``."""
    with path.open("rb") as f:
        while block := f.read(size):
            yield block


def _inline_contexts(node: Any, path: Path | None) -> Any:
    if isinstance(node, list):
        return [_inline_contexts(item, path) for item in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        out[key] = _context(value, path) if key == "@context" else _inline_contexts(value, path)
    return out


def _context(value: Any, path: Path | None) -> Any:
    if isinstance(value, list):
        return [_context(item, path) for item in value]
    if isinstance(value, str):
        if value == PROJECT_CONTEXT_IRI:
            return dict(PREFIXES)
        raise InputError(
            f"the JSON-LD context {value!r} is given by IRI and would have to be fetched; only "
            f"{PROJECT_CONTEXT_IRI} may be named (put any other context inline)",
            path,
        )
    if isinstance(value, dict):
        if "@import" in value:  # the key as parsed: an escaped "\u0040import" is caught too
            raise InputError("@import in a JSON-LD context would fetch another context; put it inline", path)
        # a scoped context (a term definition's "@context") may name a remote context too
        return {
            k: _inline_contexts(v, path) if k != "@context" else _context(v, path) for k, v in value.items()
        }
    return value


def local_jsonld(data: bytes, path: Path | None = None) -> bytes:
    """The JSON-LD document with the project's context put inline; any other remote context refused.

    Parameters
    ----------
    data
        The document.
    path
        The file, for messages.

    Returns
    -------
    bytes
        A document that names no context by IRI.

    Raises
    ------
    InputError
        When the document is not JSON (with its line), or names a context other than the
        project's by IRI, including ``@import`` in a context.

    Examples
    --------
    >>> doc = b'{"@context": "https://w3id.org/coopgraph/context.jsonld", "@id": "cg:x"}'
    >>> json.loads(local_jsonld(doc))["@context"]["cg"]
    'https://w3id.org/coopgraph/def#'
    >>> local_jsonld(b'{"@context": "http://127.0.0.1:9/c.jsonld"}')
    Traceback (most recent call last):
    ...
    coopgraph.errors.InputError: <input>: the JSON-LD context 'http://127.0.0.1:9/c.jsonld' is given by IRI and would have to be fetched; only https://w3id.org/coopgraph/context.jsonld may be named (put any other context inline)
    """
    try:
        document = json.loads(data)
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8: {exc.reason} at byte {exc.start}", path) from exc
    except json.JSONDecodeError as exc:
        raise InputError(f"not JSON: {exc.msg} (column {exc.colno})", path, exc.lineno) from exc
    if b'"@import"' in data:
        raise InputError("@import in a JSON-LD context would fetch another context; put it inline", path)
    return json.dumps(_inline_contexts(document, path)).encode()


def checked_bytes(path: Path) -> bytes | None:
    """What a parser should read for ``path`` when it is not the file itself, after the checks.

    RDF/XML is checked from its prolog and read from the file (``None``); JSON-LD is returned
    with its contexts inline; other syntaxes need no check (``None``).

    Raises
    ------
    InputError
        As :func:`check_rdfxml` and :func:`local_jsonld`.
    """
    suffix = path.suffix.lower()
    try:
        if suffix in _XML_SUFFIXES:
            check_rdfxml(file_chunks(path), path)
            return None
        if suffix == ".jsonld":
            return local_jsonld(path.read_bytes(), path)
    except OSError as exc:
        raise InputError(str(exc), path) from exc
    return None
