"""POST /contribute/csv: a clean file becomes a pending submission (not in /sparql); errors are
422 by row and column; no token 401, wrong CSRF 403, oversized 413; nothing kept on refusal."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from support.writing import Writable, writable_service

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


def test_bad_cells_are_422_with_row_and_column(service: Writable) -> None:
    bad = ACTORS.replace("cultural-institution,party/peru", "cultural-institution,not an iri")
    answer = upload(service, bad, headers=service.auth("contributor"))
    assert answer.status_code == 422
    errors = answer.json()["errors"]
    assert [(e["row"], e["column"]) for e in errors] == [(2, "country")]
    assert errors[0]["where"].startswith("actors.csv:2:country:")
    assert pending(service.folder) == []


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
