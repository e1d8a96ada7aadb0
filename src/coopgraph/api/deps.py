"""Dependencies of the API routes: the settings, the store and the query catalogue.

They are opened once in the app's lifespan (see :mod:`coopgraph.api.app`) and handed to routes
through these ``Annotated`` aliases.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from coopgraph.config import Settings
from coopgraph.queries import QueryCatalogue
from coopgraph.store import Store


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_store(request: Request) -> Store:
    return request.app.state.store


def get_catalogue(request: Request) -> QueryCatalogue:
    return request.app.state.catalogue


SettingsDep = Annotated[Settings, Depends(get_settings)]
StoreDep = Annotated[Store, Depends(get_store)]
CatalogueDep = Annotated[QueryCatalogue, Depends(get_catalogue)]


def public_base(request: Request, settings: Settings) -> str:
    """The base URL the service is reached at (``COOPGRAPH_BASE_URL`` or the request's own)."""
    base = settings.base_url or str(request.base_url)
    return base if base.endswith("/") else base + "/"
