"""Review in Chromium: a curator logs in with their token and approves a submission, without JavaScript."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from support.services import Running, serve, service_env
from support.submissions import CONTRIBUTION, FOUNDATION, UNESCO, UNESCO_COPY
from support.writing import make_tokens

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
TOKENS: dict[str, str] = {}


@pytest.fixture(scope="module")
def explorer() -> Iterator[Running]:
    """A writable ``coopgraph serve`` (in memory, a token per role) for this module's pages."""
    with tempfile.TemporaryDirectory() as folder:
        TOKENS.update(make_tokens(Path(folder)))
        env = service_env(
            ROOT, in_memory="true", store_dir=folder, publish_analysis="false", query_workers="1"
        )
        with serve(env, Path(folder) / "serve.log", ready_path="/") as running:
            yield running


def send(url: str) -> str:
    answer = httpx.post(
        url + "/submissions",
        content=CONTRIBUTION,
        headers={"Content-Type": "text/turtle", "Authorization": f"Bearer {TOKENS['contributor']}"},
        timeout=60,
    )
    assert answer.status_code == 201, answer.text
    return str(answer.json()["id"])


def test_login_and_approve_without_javascript(browser: Any, explorer: Running) -> None:
    id = send(explorer.url)
    context = browser.new_context(base_url=explorer.url, java_script_enabled=False)
    foreign: list[str] = []
    context.route(
        "**/*",
        lambda route, request: (
            route.continue_()
            if request.url.startswith(explorer.url)
            else (foreign.append(request.url), route.abort())[1]
        ),
    )
    page = context.new_page()
    try:
        page.goto(f"/submissions/{id}")
        assert "/login?next=" in page.url  # no session yet: the login page, coming back here after
        page.fill("#login-token", TOKENS["curator"])
        page.click("form.login-form button[type=submit]")
        assert page.url.endswith(f"/submissions/{id}")
        assert page.locator(f'input[name="choice:{UNESCO_COPY}"][value="new"]').is_checked()
        page.check(f'input[name="choice:{UNESCO_COPY}"][value="{UNESCO}"]')
        page.click("form.approve-form button[type=submit]")
        assert page.url.endswith(f"/submissions/{id}")
        assert page.locator("dd[data-status]").get_attribute("data-status") == "approved"
        assert page.locator("form.withdraw-form").count() == 1
    finally:
        context.close()
    assert foreign == []
    query = f"ASK {{ <{FOUNDATION}> <https://w3id.org/coopgraph/def#subOrganizationOf> <{UNESCO}> }}"
    answer = httpx.get(
        explorer.url + "/sparql",
        params={"query": query},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert answer.json()["boolean"] is True


def test_the_review_pages_pass_axe(page: Any, axe: Callable[..., dict[str, Any]], explorer: Running) -> None:
    id = send(explorer.url)
    page.goto("/login?lang=fr")
    axe(page)
    page.fill("#login-token", TOKENS["curator"])
    page.click("form.login-form button[type=submit]")
    page.goto(f"/submissions/{id}")
    # UNESCO under another IRI is offered for reconciliation (the foundation may be in the graph already)
    assert (
        page.locator(f'fieldset.minted-node input[name="choice:{UNESCO_COPY}"][value="{UNESCO}"]').count()
        == 1
    )
    axe(page)
    page.goto("/submissions?status=pending")
    assert page.locator(f'a[href$="/submissions/{id}"]').count() == 1
    axe(page)
