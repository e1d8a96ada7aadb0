"""The profile of a resource as JSON: ``GET /id/{path}?_profile=json``.

The resource page (``/id/...`` in a browser) shows the profile first; its JSON by content
negotiation stays the RDF description, so the profile's own data is asked for with the
``_profile=json`` parameter instead (the ``_`` keeps it apart from any data parameter, as in the
Linked Data API). :mod:`coopgraph.api.routes.linkeddata` hands such requests here.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request
from fastapi.responses import Response

from coopgraph.errors import ParameterError
from coopgraph.explore import choose_languages
from coopgraph.linkeddata import LinkedData, json_body
from coopgraph.linkeddata.profile import build_profile

ProfileParam = Annotated[
    str | None,
    Query(
        alias="_profile",
        description="`json`: the resource's profile (summary, timeline, money per currency, articles, participants, results) as JSON.",
    ),
]


def profile_response(request: Request, model: LinkedData, base: str, stem: str, value: str) -> Response:
    """The profile of the resource at ``/id/{stem}`` as JSON (labels in the reader's languages).

    Raises
    ------
    ParameterError
        When ``_profile`` is not ``json``.
    ResourceNotFound
        When nothing is said about the resource.
    """
    if value != "json":
        raise ParameterError("_profile", f"{value[:40]!r} is not json")
    description = model.describe(stem)
    languages = choose_languages(
        request.query_params.get("lang"),
        request.cookies.get("lang"),
        request.headers.get("accept-language"),
        strict=False,
    )
    profile = build_profile(model.store, model.catalogue, description.iri.value, languages, base)
    return Response(
        json_body(profile),
        media_type="application/json",
        headers={"Vary": "Accept-Language, Cookie", "Cache-Control": "no-cache"},
    )
