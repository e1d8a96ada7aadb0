"""The Contributor and Curator dependencies: a bearer token or the session cookie, CSRF on unsafe methods."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI

from coopgraph.api.deps import Contributor, Curator
from coopgraph.audit import AuditLog
from coopgraph.auth import TokenStore
from support.writing import Writable, writable_service

PROBED: list[str] = []


def probe_routes(app: FastAPI) -> None:
    """Two routes that say who called, as the forms and the review pages will."""

    @app.api_route("/probe/contribute", methods=["GET", "POST"])
    def contribute(who: Contributor) -> dict[str, str]:
        PROBED.append(who.name)
        return {"who": who.name}

    @app.api_route("/probe/review", methods=["GET", "POST"])
    def review(who: Curator) -> dict[str, str]:
        PROBED.append(who.name)
        return {"who": who.name}


@pytest.fixture
def service(tmp_path: Path) -> Iterator[Writable]:
    with writable_service(tmp_path) as writable:
        probe_routes(writable.client.app)  # type: ignore[arg-type]
        PROBED.clear()
        yield writable


def log_in(service: Writable, role: str) -> str:
    answer = service.client.post("/login", data={"token": service.tokens[role]}, follow_redirects=False)
    assert answer.status_code == 303
    page = service.client.get("/login").text
    return page.split('name="csrf" value="', 1)[1].split('"', 1)[0]


def test_a_bearer_token_needs_no_csrf(service: Writable) -> None:
    answer = service.client.post("/probe/review", headers=service.auth("curator"), data={"x": "1"})
    assert answer.status_code == 200 and answer.json() == {"who": "test-curator"}


def test_without_credentials_json_clients_get_401_and_browsers_the_login_page(service: Writable) -> None:
    api = service.client.get("/probe/review?x=1", headers={"Accept": "application/json"})
    assert api.status_code == 401 and api.headers["www-authenticate"].startswith("Bearer")
    browser = service.client.get(
        "/probe/review?x=1",
        headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"},
        follow_redirects=False,
    )
    assert browser.status_code == 303
    assert browser.headers["location"] == "http://testserver/login?next=%2Fprobe%2Freview%3Fx%3D1"
    form = service.client.post(
        "/probe/review", data={"x": "1"}, headers={"Accept": "text/html"}, follow_redirects=False
    )
    assert form.status_code == 303 and form.headers["location"] == "http://testserver/login"
    assert PROBED == []


def test_the_session_cookie_stands_for_the_token(service: Writable) -> None:
    log_in(service, "contributor")
    assert service.client.get("/probe/contribute").json() == {"who": "test-contributor"}
    refused = service.client.get("/probe/review")
    assert refused.status_code == 403 and "needs curator" in refused.json()["message"]


def test_an_unsafe_method_with_the_cookie_needs_the_csrf_field(service: Writable) -> None:
    csrf = log_in(service, "curator")
    missing = service.client.post("/probe/review", data={"x": "1"})
    assert missing.status_code == 403 and "no csrf field" in missing.json()["message"]
    wrong = service.client.post("/probe/review", data={"csrf": csrf[:-2] + "xx"})
    assert wrong.status_code == 403 and "does not match" in wrong.json()["message"]
    not_a_form = service.client.post(
        "/probe/review",
        content=b'{"csrf": "%s"}' % csrf.encode(),
        headers={"Content-Type": "application/json"},
    )
    assert not_a_form.status_code == 403
    assert PROBED == []
    ok = service.client.post("/probe/review", data={"csrf": csrf})
    assert ok.status_code == 200 and PROBED == ["test-curator"]
    refusals = [
        e
        for e in AuditLog(service.folder / "audit.jsonl").entries()
        if e["operation"] == "POST /probe/review"
    ]
    assert len(refusals) == 3 and {e["who"] for e in refusals} == {"test-curator"}


def test_a_tampered_or_revoked_session_is_refused(service: Writable) -> None:
    log_in(service, "curator")
    cookie = service.client.cookies["coopgraph_session"]
    service.client.cookies.set("coopgraph_session", cookie[:-3] + "abc")
    assert service.client.get("/probe/review", headers={"Accept": "application/json"}).status_code == 401
    service.client.cookies.set("coopgraph_session", cookie)
    assert service.client.get("/probe/review").status_code == 200
    TokenStore(service.folder / "tokens.json").revoke("test-curator")
    ended = service.client.get("/probe/review", headers={"Accept": "application/json"})
    assert ended.status_code == 401 and "revoked" in ended.json()["message"]
