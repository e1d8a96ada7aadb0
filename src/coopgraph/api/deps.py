"""Dependencies of the API routes, one way: typed ``Annotated`` aliases.

The settings, the store, the query catalogue and the query runner are opened
once in the app's lifespan (see :mod:`coopgraph.api.app`), kept on ``app.state``, and handed to
routes only through the aliases below (``settings: SettingsDep``); tests replace them with
``app.dependency_overrides``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from coopgraph.auth.tokens import Role, TokenInfo
from coopgraph.config import Settings
from coopgraph.gate.service import WriteSide
from coopgraph.linkeddata import LinkedData
from coopgraph.protocol import QueryRunner
from coopgraph.queries import QueryCatalogue
from coopgraph.store import Store


def get_settings(request: Request) -> Settings:
    """The settings the app was built with."""
    settings: Settings = request.app.state.settings
    return settings


def get_store(request: Request) -> Store:
    """The store the lifespan opened and loaded."""
    store: Store = request.app.state.store
    return store


def get_catalogue(request: Request) -> QueryCatalogue:
    """The catalogue of named queries."""
    catalogue: QueryCatalogue = request.app.state.catalogue
    return catalogue


def get_query_runner(request: Request) -> QueryRunner:
    """The worker pool that runs queries under the time limit."""
    runner: QueryRunner = request.app.state.query_runner
    return runner


SettingsDep = Annotated[Settings, Depends(get_settings)]
StoreDep = Annotated[Store, Depends(get_store)]
CatalogueDep = Annotated[QueryCatalogue, Depends(get_catalogue)]
QueryRunnerDep = Annotated[QueryRunner, Depends(get_query_runner)]


def public_base(request: Request, settings: Settings) -> str:
    """The base URL the service is reached at (``COOPGRAPH_BASE_URL`` or the request's own).

    Parameters
    ----------
    request
        The request (its own base URL is the fallback).
    settings
        The settings (``base_url``).

    Returns
    -------
    str
        The base URL, ending with ``/``.
    """
    base = settings.base_url or str(request.base_url)
    return base if base.endswith("/") else base + "/"


def get_public_base(request: Request, settings: SettingsDep) -> str:
    """The base URL the service is reached at, ending with ``/``."""
    return public_base(request, settings)


PublicBaseDep = Annotated[str, Depends(get_public_base)]


def get_linkeddata(
    request: Request, store: StoreDep, settings: SettingsDep, catalogue: CatalogueDep
) -> LinkedData:
    """The linked-data model of the app's store, built on first use (it reads the ontology and
    shapes) and rebuilt if the store is replaced."""
    model: LinkedData | None = getattr(request.app.state, "linkeddata", None)
    if model is None or model.store is not store:
        model = LinkedData(store, settings, catalogue)
        request.app.state.linkeddata = model
    return model


LinkedDataDep = Annotated[LinkedData, Depends(get_linkeddata)]


def get_write_side(request: Request) -> WriteSide:
    """The service's writer (tokens, gate, audit log), opened in the lifespan."""
    writes: WriteSide = request.app.state.write_side
    return writes


WriteSideDep = Annotated[WriteSide, Depends(get_write_side)]


def bearer_token(request: Request) -> str | None:
    """The token of an ``Authorization: Bearer TOKEN`` header, if there is one."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


def token_holder(request: Request, writes: WriteSideDep, needed: Role) -> TokenInfo:
    """The holder of the request's bearer token if its role allows ``needed``; refusals are audited."""
    token = bearer_token(request)
    try:
        return writes.tokens.authorise(token, needed)
    except Exception as exc:
        writes.audit.append(
            who=(token or "").partition(".")[0] or "anonymous",
            operation=f"{request.method} {request.url.path}",
            result="refused",
            error=type(exc).__name__,
            reason=str(exc)[:500],
        )
        raise


def get_curator(request: Request, writes: WriteSideDep) -> TokenInfo:
    """The caller, a curator or admin (401 without a valid token, 403 for another role)."""
    return token_holder(request, writes, Role.curator)


CuratorDep = Annotated[TokenInfo, Depends(get_curator)]
