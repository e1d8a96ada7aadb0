"""POST /contribute/csv and the forms of /contribute: a clean file or form becomes a pending
submission (not in /sparql); errors are 422 by row and column, or by field; no token 401 (a
browser goes to /login), wrong CSRF 403, oversized 413; nothing kept on refusal."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from coopgraph.audit import AuditLog
from coopgraph.auth import Role, TokenStore
from support.writing import Writable, served, writable_service

ACTORS = (
    "slug,kind,type,label_en,label_es,sector,country,source,locator\n"
    "casa-de-la-literatura-peruana,organisation,Organisation,House of Peruvian Literature,"
    "Casa de la Literatura Peruana,cultural-institution,party/peru,"
    "source/colombia-bilateral-cooperation,Partners\n"
)
NEW_ACTOR = "https://w3id.org/coopgraph/id/organisation/casa-de-la-literatura-peruana"


@pytest.fixture
def service(tmp_path: Path) -> Iterator[Writable]:
    with writable_service(tmp_path) as writable:
        yield writable


def pending(folder: Path) -> list[Path]:
    return sorted((folder / "submissions").glob("*.json"))


def upload(service: Writable, text: str | bytes, template: str = "actors", **kwargs: object):  # type: ignore[no-untyped-def]
    body = text.encode("utf-8") if isinstance(text, str) else text
    return service.client.post(
        "/contribute/csv",
        data={"template": template},
        files={"file": ("actors.csv", body, "text/csv")},
        **kwargs,  # type: ignore[arg-type]
    )


def audited(service: Writable, operation: str) -> list[dict[str, object]]:
    """The audit log's lines of one operation."""
    return [e for e in AuditLog(service.folder / "audit.jsonl").entries() if e["operation"] == operation]


def in_store(service: Writable, iri: str) -> bool:
    answer = service.client.get(
        "/sparql",
        params={"query": f"ASK {{ <{iri}> ?p ?o }}"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert answer.status_code == 200
    return bool(answer.json()["boolean"])


def test_a_clean_file_is_pending_and_not_in_the_store(service: Writable) -> None:
    answer = upload(service, ACTORS, headers=service.auth("contributor"))
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert body["status"] == "pending" and body["origin"] == "csv actors (actors.csv)"
    assert body["submitter"] == "test-contributor" and body["rows"] == 1
    assert len(pending(service.folder)) == 1
    assert not in_store(service, NEW_ACTOR)
    [line] = audited(service, "CONTRIBUTE csv actors (actors.csv)")
    assert line["who"] == "test-contributor" and line["result"] == "pending"
    assert line["submission"] == body["id"]


def test_bad_cells_are_422_with_row_and_column(service: Writable) -> None:
    bad = ACTORS.replace("cultural-institution,party/peru", "cultural-institution,not an iri")
    answer = upload(service, bad, headers=service.auth("contributor"))
    assert answer.status_code == 422
    errors = answer.json()["errors"]
    assert [(e["row"], e["column"]) for e in errors] == [(2, "country")]
    assert errors[0]["where"].startswith("actors.csv:2:country:")
    assert pending(service.folder) == []
    [line] = audited(service, "CONTRIBUTE csv actors (actors.csv)")
    assert line["result"] == "refused" and line["errors"] == 1


def test_gate_errors_are_422_with_row_and_column(service: Writable) -> None:
    answer = upload(
        service, ACTORS.replace("cultural-institution", "nonsense"), headers=service.auth("contributor")
    )
    assert answer.status_code == 422
    assert [(e["row"], e["column"]) for e in answer.json()["errors"]] == [(2, "sector")]


def test_a_bad_header_is_422_naming_the_column(service: Writable) -> None:
    answer = upload(service, "slug,labl_en\nx,y\n", headers=service.auth("contributor"))
    assert answer.status_code == 422
    assert {e["column"] for e in answer.json()["errors"]} >= {"labl_en", "label_en"}


def test_not_utf8_is_422(service: Writable) -> None:
    answer = upload(service, ACTORS.encode("utf-16"), headers=service.auth("contributor"))
    assert answer.status_code == 422
    assert "not UTF-8" in answer.json()["errors"][0]["message"]


def test_an_unknown_template_is_404_naming_the_known_ones(service: Writable) -> None:
    answer = upload(service, ACTORS, template="../../etc/passwd", headers=service.auth("contributor"))
    assert answer.status_code == 404
    assert "actors" in answer.text


def test_a_missing_file_names_the_field(service: Writable) -> None:
    answer = service.client.post(
        "/contribute/csv", data={"template": "actors"}, headers=service.auth("contributor")
    )
    assert answer.status_code == 400
    assert "file" in answer.text


def test_without_a_token_401_and_nothing_kept(service: Writable) -> None:
    answer = upload(service, ACTORS, headers={"Accept": "application/json"})
    assert answer.status_code == 401
    assert pending(service.folder) == []


def test_a_session_without_csrf_is_403(service: Writable) -> None:
    login = service.client.post(
        "/login", data={"token": service.tokens["contributor"]}, follow_redirects=False
    )
    assert login.status_code == 303
    answer = upload(service, ACTORS, headers={"Accept": "application/json"})
    assert answer.status_code == 403
    assert pending(service.folder) == []


def test_an_oversized_file_is_413(tmp_path: Path) -> None:
    with writable_service(tmp_path, max_csv_bytes=2000) as service:
        answer = upload(service, ACTORS + "x" * 5000, headers=service.auth("contributor"))
        assert answer.status_code == 413
        assert "COOPGRAPH_MAX_CSV_BYTES" in answer.text
        big = upload(service, ACTORS * 2000, headers=service.auth("contributor"))
        assert big.status_code == 413
        assert pending(tmp_path) == []


def test_concurrent_uploads_each_become_one_submission(service: Writable) -> None:
    codes: list[int] = []

    def send() -> None:
        codes.append(upload(service, ACTORS, headers=service.auth("contributor")).status_code)

    threads = [threading.Thread(target=send) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert codes == [201, 201, 201]
    assert len(pending(service.folder)) == 3


# ---------------------------------------------------------------------------------------------
# The forms: GET/POST /contribute/{form}
# ---------------------------------------------------------------------------------------------

HTML = {"Accept": "text/html"}
REPORT = {
    "country": "Peru",
    "title": "Peru-Colombia film co-production",
    "description": "Joint development of two feature films",
    "start": "2019",
    "articles": "12",
    "sectors": "audiovisual",
    "partners-0-name": "Casa de la Literatura Peruana",
    "partners-0-type": "cultural-institution",
    "amounts-0-amount": "100000",
    "amounts-0-currency": "USD",
    "evaluation": "Reviewed every year",
}
NEW_PROGRAMME = "https://w3id.org/coopgraph/id/programme/peru-colombia-film-co-production"


def logged_in(service: Writable, role: str = "contributor") -> str:
    """Log the test client in; the CSRF token of its forms."""
    answer = service.client.post("/login", data={"token": service.tokens[role]}, follow_redirects=False)
    assert answer.status_code == 303
    page = service.client.get("/contribute/periodic-report", headers=HTML)
    assert page.status_code == 200
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert found is not None
    return found.group(1)


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        (
            "en",
            ["Reporting country", "Title", "Start date", "Add a partner", "Evaluation: how it was evaluated"],
        ),
        (
            "es",
            [
                "País que informa",
                "Título",
                "Fecha de inicio",
                "Añadir un socio",
                "Evaluación: cómo se evaluó",
            ],
        ),
        ("fr", ["Pays qui fait rapport", "Titre", "Date de début", "Ajouter un partenaire", "Date de fin"]),
    ],
)
def test_each_form_in_each_language(service: Writable, lang: str, words: list[str]) -> None:
    logged_in(service)
    page = service.client.get(f"/contribute/periodic-report?lang={lang}", headers=HTML)
    assert page.status_code == 200
    assert f'<html lang="{lang}">' in page.text
    for word in words:
        assert word in page.text, word
    assert 'value="12"' in page.text  # the Convention's articles, from the graph
    others = {
        "source-profile": {"en": "What it finances", "es": "Qué financia", "fr": "Ce qu'elle finance"},
        "partnership-proposal": {"en": "What you offer", "es": "Lo que ofrece", "fr": "Ce que vous offrez"},
    }
    for name, label in others.items():
        other = service.client.get(f"/contribute/{name}?lang={lang}", headers=HTML)
        assert other.status_code == 200
        assert html_escape(label[lang]) in other.text


def html_escape(text: str) -> str:
    return text.replace("'", "&#39;")


def test_the_list_of_forms(service: Writable) -> None:
    page = service.client.get("/contribute?lang=es", headers=HTML)
    assert page.status_code == 200
    for name in ("periodic-report", "source-profile", "partnership-proposal"):
        assert f'href="http://testserver/contribute/{name}"' in page.text
    assert "Propuesta de alianza" in page.text


def test_a_valid_form_is_303_to_its_pending_page_and_not_in_the_store(service: Writable) -> None:
    csrf = logged_in(service)
    answer = service.client.post(
        "/contribute/periodic-report", data={**REPORT, "csrf": csrf}, headers=HTML, follow_redirects=False
    )
    assert answer.status_code == 303, answer.text[:3000]
    location = answer.headers["location"]
    assert "/contribute/pending/" in location
    [record] = pending(service.folder)
    assert record.stem in location
    assert '"origin": "form periodic-report"' in record.read_text()
    assert not in_store(service, NEW_PROGRAMME)
    page = service.client.get(location, headers=HTML)
    assert page.status_code == 200
    assert record.stem in page.text and "pending review" in page.text
    [line] = audited(service, "CONTRIBUTE form periodic-report")
    assert line["result"] == "pending" and line["submission"] == record.stem


def test_an_invalid_form_is_422_naming_the_field_with_values_kept(service: Writable) -> None:
    csrf = logged_in(service)
    answer = service.client.post(
        "/contribute/periodic-report",
        data={**REPORT, "amounts-0-currency": "dollars", "csrf": csrf},
        headers=HTML,
    )
    assert answer.status_code == 422
    assert '<a href="#amounts-0-currency">Currency:' in answer.text
    assert 'id="amounts-0-currency" name="amounts-0-currency" value="dollars"' in answer.text
    assert 'aria-describedby="amounts-0-currency-error" aria-invalid="true"' in answer.text
    assert 'value="Peru-Colombia film co-production"' in answer.text
    assert pending(service.folder) == []
    [line] = audited(service, "CONTRIBUTE form periodic-report")
    assert line["result"] == "refused" and line["errors"] >= 1


def test_an_invalid_form_as_json_names_the_field(service: Writable) -> None:
    answer = service.client.post(
        "/contribute/source-profile",
        data={"name": "Andean Fund", "kind": "fund", "homepage": "not a web site"},
        headers={**service.auth("contributor"), "Accept": "application/json"},
    )
    assert answer.status_code == 422
    assert [e["field"] for e in answer.json()["errors"]] == ["homepage"]


def test_add_a_row_keeps_every_value(service: Writable) -> None:
    csrf = logged_in(service)
    answer = service.client.post(
        "/contribute/periodic-report", data={**REPORT, "csrf": csrf, "add": "partners"}, headers=HTML
    )
    assert answer.status_code == 200
    assert 'name="partners-1-name"' in answer.text and 'name="partners-2-name"' not in answer.text
    assert 'value="Casa de la Literatura Peruana"' in answer.text
    assert 'id="partners-1-name" name="partners-1-name" value=""' in answer.text
    assert pending(service.folder) == []


def test_missing_or_wrong_csrf_is_403_and_nothing_kept(service: Writable) -> None:
    logged_in(service)
    for extra in ({}, {"csrf": "forged"}):
        answer = service.client.post("/contribute/periodic-report", data={**REPORT, **extra}, headers=HTML)
        assert answer.status_code == 403
    assert pending(service.folder) == []


def test_no_session_is_303_to_login_or_401(service: Writable) -> None:
    page = service.client.get("/contribute/partnership-proposal", headers=HTML, follow_redirects=False)
    assert page.status_code == 303
    assert page.headers["location"].endswith("/login?next=%2Fcontribute%2Fpartnership-proposal")
    post = service.client.post(
        "/contribute/periodic-report", data=REPORT, headers={"Accept": "application/json"}
    )
    assert post.status_code == 401
    assert pending(service.folder) == []


def test_an_unknown_form_is_404(service: Writable) -> None:
    logged_in(service)
    answer = service.client.get("/contribute/..%2Fetc", headers=HTML)
    assert answer.status_code == 404
    assert service.client.get("/contribute/nonsense", headers=HTML).status_code == 404


def test_an_oversized_form_is_413(tmp_path: Path) -> None:
    with writable_service(tmp_path, max_request_bytes=4096) as service:
        csrf = logged_in(service)
        answer = service.client.post(
            "/contribute/periodic-report",
            data={**REPORT, "description": "x" * 5000, "csrf": csrf},
            headers=HTML,
        )
        assert answer.status_code == 413
        assert pending(tmp_path) == []


def test_hostile_values_are_escaped_or_refused_by_field(service: Writable) -> None:
    csrf = logged_in(service)
    hostile = {
        **REPORT,
        "title": '<script>alert("x")</script>',
        "description": "y" * 10_001,
        "evaluation": "bell\x07",
        "partners-0-name": '"><img src=x onerror=alert(1)>',
        "sectors": "<b>",
        "csrf": csrf,
    }
    answer = service.client.post("/contribute/periodic-report", data=hostile, headers=HTML)
    assert answer.status_code == 422
    assert "<script>alert" not in answer.text and "&lt;script&gt;" in answer.text
    assert "<img src=x" not in answer.text
    assert '<a href="#description">Description: the cell is longer than 10,000 characters' in answer.text
    assert '<a href="#evaluation">' in answer.text and "control character" in answer.text
    assert '<a href="#sectors">' in answer.text
    assert pending(service.folder) == []


def test_a_pending_page_is_its_submitters_only(service: Writable) -> None:
    answer = service.client.post(
        "/contribute/periodic-report",
        data=REPORT,
        headers={**service.auth("contributor"), "Accept": "application/json"},
    )
    assert answer.status_code == 201, answer.text
    id = answer.json()["id"]
    other = service.client.get(
        f"/contribute/pending/{id}", headers={**service.auth("curator"), "Accept": "application/json"}
    )
    assert other.status_code == 200 and other.json()["status"] == "pending"
    stranger = TokenStore(service.folder / "tokens.json").create("someone-else", Role.contributor)
    hidden = service.client.get(
        f"/contribute/pending/{id}",
        headers={"Authorization": f"Bearer {stranger}", "Accept": "application/json"},
    )
    assert hidden.status_code == 404
    assert service.client.get(
        "/contribute/pending/..%2F..%2Ftokens", headers={**service.auth("contributor"), **HTML}
    ).status_code in (400, 404)


def test_a_form_end_to_end_on_a_loopback_port(tmp_path: Path) -> None:
    with served(tmp_path) as (url, _, tokens), httpx.Client(base_url=url) as client:
        login = client.post("/login", data={"token": tokens["contributor"]})
        assert login.status_code in (200, 303)
        page = client.get("/contribute/partnership-proposal?lang=fr", headers=HTML)
        assert page.status_code == 200 and "Qui vous êtes" in page.text
        csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
        assert csrf is not None
        form = {
            "csrf": csrf.group(1),
            "name": "Casa de la Literatura Peruana",
            "type": "cultural-institution",
            "country": "Pérou",
            "sectors": "publishing",
            "offers-0-title": "Training in heritage conservation",
        }
        answer = client.post(
            "/contribute/partnership-proposal", data=form, headers=HTML, follow_redirects=False
        )
        assert answer.status_code == 303, answer.text[:2000]
        pending_page = client.get(answer.headers["location"], headers=HTML)
        assert "en attente de relecture" in pending_page.text
        ask = client.get(
            "/sparql",
            params={
                "query": 'ASK { ?o <https://w3id.org/coopgraph/def#offeredBy> ?a ; <http://www.w3.org/2000/01/rdf-schema#label> "Training in heritage conservation"@en }'
            },
            headers={"Accept": "application/sparql-results+json"},
        )
        assert ask.status_code == 200 and ask.json()["boolean"] is False
        assert len(pending(tmp_path)) == 1


def test_navigation_leads_to_contribute_and_curators_to_the_submissions(service: Writable) -> None:
    home = service.client.get("/sources", headers=HTML)
    assert '<a href="http://testserver/contribute">Contribute</a>' in home.text
    anonymous = service.client.get("/contribute", headers=HTML)
    assert 'href="http://testserver/submissions"' not in anonymous.text
    logged_in(service, "contributor")
    contributor = service.client.get("/contribute", headers=HTML)
    assert 'href="http://testserver/submissions"' not in contributor.text
    service.client.cookies.clear()
    logged_in(service, "curator")
    for path in ("/contribute", "/login"):
        page = service.client.get(path, headers=HTML)
        assert page.status_code == 200
        assert 'href="http://testserver/submissions"' in page.text, path
    spanish = service.client.get("/contribute?lang=es", headers=HTML)
    assert "Contribuciones por revisar" in spanish.text
