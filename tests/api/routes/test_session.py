"""/login and /logout: a signed session cookie for the forms, local redirects only."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from coopgraph.audit import AuditLog
from support.writing import Writable, writable_service


@pytest.fixture
def service(tmp_path: Path) -> Iterator[Writable]:
    with writable_service(tmp_path) as writable:
        yield writable


def login(service: Writable, role: str, next_path: str | None = None) -> str:
    form = {"token": service.tokens[role]} | ({"next": next_path} if next_path else {})
    answer = service.client.post("/login", data=form, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    return answer.headers["set-cookie"]


@pytest.mark.parametrize(
    ("lang", "words"), [("en", "Log in"), ("es", "Iniciar sesión"), ("fr", "Se connecter")]
)
def test_the_login_page_speaks_the_interface_languages(service: Writable, lang: str, words: str) -> None:
    page = service.client.get(f"/login?lang={lang}&next=/submissions")
    assert page.status_code == 200
    assert words in page.text and 'name="token"' in page.text and 'type="password"' in page.text
    assert 'value="/submissions"' in page.text
    assert page.headers["cache-control"] == "no-store"


def test_login_sets_a_strict_httponly_cookie_and_goes_to_next(service: Writable) -> None:
    answer = service.client.post(
        "/login",
        data={"token": service.tokens["curator"], "next": "/submissions?status=pending"},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == "/submissions?status=pending"
    cookie = answer.headers["set-cookie"]
    assert cookie.startswith("coopgraph_session=")
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/" in cookie
    assert "Secure" not in cookie  # plain http on the loopback
    assert service.tokens["curator"].partition(".")[2] not in cookie
    page = service.client.get("/login")
    assert "Logged in as test-curator (curator)" in page.text and 'name="csrf"' in page.text


def test_the_cookie_is_secure_over_https(tmp_path: Path) -> None:
    with writable_service(tmp_path, base_url="https://coop.example.org/graph/") as service:
        answer = service.client.post(
            "/login",
            data={"token": service.tokens["curator"], "next": "/graph/submissions"},
            follow_redirects=False,
        )
        assert answer.status_code == 303
        assert "Secure" in answer.headers["set-cookie"] and "Path=/graph/" in answer.headers["set-cookie"]


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/x",
        "/\\evil.example",
        "javascript:alert(1)",
        "evil",
        "/\t/evil.example",
    ],
)
def test_open_redirects_are_refused(service: Writable, target: str) -> None:
    answer = service.client.post(
        "/login", data={"token": service.tokens["curator"], "next": target}, follow_redirects=False
    )
    assert answer.status_code == 400
    assert answer.json()["name"] == "next"
    assert "set-cookie" not in answer.headers
    assert service.client.get("/login", params={"next": target}).status_code == 400


def test_a_bad_token_is_refused_and_audited(service: Writable) -> None:
    page = service.client.post(
        "/login",
        data={"token": "test-curator.wrong"},
        headers={"Accept": "text/html"},
        follow_redirects=False,
    )
    assert page.status_code == 401 and "not valid" in page.text and "set-cookie" not in page.headers
    api = service.client.post(
        "/login", data={"token": "test-curator.wrong"}, headers={"Accept": "application/json"}
    )
    assert api.status_code == 401 and api.json()["error"] == "Unauthorized"
    refused = [
        e for e in AuditLog(service.folder / "audit.jsonl").entries() if e["operation"] == "POST /login"
    ]
    assert [e["result"] for e in refused] == ["refused", "refused"] and refused[0]["who"] == "test-curator"


def test_logout_needs_the_csrf_field_and_clears_the_cookie(service: Writable) -> None:
    login(service, "curator")
    refused = service.client.post("/logout", data={}, follow_redirects=False)
    assert refused.status_code == 403 and "csrf" in refused.json()["message"]
    page = service.client.get("/login").text
    csrf = page.split('name="csrf" value="', 1)[1].split('"', 1)[0]
    answer = service.client.post("/logout", data={"csrf": csrf}, follow_redirects=False)
    assert answer.status_code == 303
    assert (
        'coopgraph_session=""' in answer.headers["set-cookie"] or "Max-Age=0" in answer.headers["set-cookie"]
    )


def test_without_tokens_login_is_refused(tmp_path: Path) -> None:
    with writable_service(tmp_path, with_tokens=False) as service:
        answer = service.client.post("/login", data={"token": "x.y"})
        assert answer.status_code == 403 and "writes are off" in answer.json()["message"]


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "https://attacker.example"},
        {"Origin": "null"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site", "Origin": "http://testserver"},
    ],
)
def test_a_login_form_sent_from_another_site_is_refused(service: Writable, headers: dict[str, str]) -> None:
    """Login CSRF: another site's page must not log a visitor in under its own token."""
    answer = service.client.post(
        "/login", data={"token": service.tokens["contributor"]}, headers=headers, follow_redirects=False
    )
    assert answer.status_code == 403
    assert "another site" in answer.text
    assert "set-cookie" not in answer.headers


def test_a_login_form_sent_from_this_site_is_accepted(service: Writable) -> None:
    answer = service.client.post(
        "/login",
        data={"token": service.tokens["contributor"]},
        headers={"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    assert answer.headers["set-cookie"].startswith("coopgraph_session=")
