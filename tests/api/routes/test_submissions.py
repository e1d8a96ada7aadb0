"""/submissions: contributions kept for review, approved into the store with PROV, rejected, withdrawn."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import rdflib

from coopgraph.audit import AuditLog
from coopgraph.auth import Role, TokenStore
from support.submissions import CONTRIBUTION, FOUNDATION, UNESCO, UNESCO_COPY
from support.writing import Writable, fingerprint, served, writable_service

TURTLE = {"Content-Type": "text/turtle"}
JSON = {"Accept": "application/json"}
HTML = {"Accept": "text/html"}
SPARQL_JSON = {"Accept": "application/sparql-results+json"}


@pytest.fixture
def service(tmp_path: Path) -> Iterator[Writable]:
    with writable_service(tmp_path) as writable:
        yield writable


def send(service: Writable, body: bytes = CONTRIBUTION, role: str = "contributor") -> dict[str, object]:
    answer = service.client.post("/submissions", content=body, headers={**TURTLE, **service.auth(role)})
    assert answer.status_code == 201, answer.text
    return answer.json()


def log_in(service: Writable, role: str) -> None:
    answer = service.client.post("/login", data={"token": service.tokens[role]}, follow_redirects=False)
    assert answer.status_code == 303


def csrf_of(page: str) -> str:
    return page.split('name="csrf" value="', 1)[1].split('"', 1)[0]


def ask(service: Writable, query: str) -> bool:
    answer = service.client.get("/sparql", params={"query": query}, headers=SPARQL_JSON)
    assert answer.status_code == 200, answer.text
    return bool(answer.json()["boolean"])


def test_post_keeps_a_valid_contribution_out_of_the_store(service: Writable) -> None:
    before = fingerprint(service.store)
    sent = send(service)
    assert sent["status"] == "pending" and sent["submitter"] == "test-contributor"
    assert sent["origin"] == "rdf (text/turtle)" and sent["triples"] == 15
    assert fingerprint(service.store) == before
    assert not ask(service, f"ASK {{ <{FOUNDATION}> ?p ?o }}")
    assert service.client.get("/search", params={"q": "Test Foundation"}, headers=JSON).json()["total"] == 0


def test_a_non_conforming_contribution_is_422_with_the_report_and_kept_nowhere(service: Writable) -> None:
    bad = CONTRIBUTION.replace(b'rdfs:label "Test Foundation"@en ;', b"")
    answer = service.client.post(
        "/submissions", content=bad, headers={**TURTLE, **service.auth("contributor")}
    )
    assert answer.status_code == 422
    nodes = answer.json()["report"]["nodes"]
    assert any("test-foundation>" in n["node"] and n["line"] == 7 for n in nodes)
    assert (
        service.client.get("/submissions", headers={**JSON, **service.auth("curator")}).json()["submissions"]
        == []
    )


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        (b"<a> <b> .", "text/turtle", 400),
        (b"", "text/turtle", 400),
        (b"{}", "application/pdf", 415),
        (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "b">]><r/>', "application/rdf+xml", 400),
    ],
)
def test_malformed_bodies_are_refused(service: Writable, body: bytes, content_type: str, status: int) -> None:
    answer = service.client.post(
        "/submissions", content=body, headers={"Content-Type": content_type, **service.auth("contributor")}
    )
    assert answer.status_code == status, answer.text
    assert not any((service.folder / "submissions").glob("*.json"))


def test_an_oversized_contribution_is_413(tmp_path: Path) -> None:
    with writable_service(tmp_path, max_write_bytes=1000) as service:
        answer = service.client.post(
            "/submissions", content=CONTRIBUTION * 3, headers={**TURTLE, **service.auth("contributor")}
        )
        assert answer.status_code == 413


def test_roles_and_tokens(service: Writable) -> None:
    assert service.client.post("/submissions", content=CONTRIBUTION, headers=TURTLE).status_code == 401
    id = send(service)["id"]
    contributor = service.auth("contributor")
    assert service.client.post(f"/submissions/{id}/approve", json={}, headers=contributor).status_code == 403
    assert (
        service.client.post(
            f"/submissions/{id}/reject", json={"reason": "x"}, headers=contributor
        ).status_code
        == 403
    )
    assert (
        service.client.get(
            "/submissions", headers={**JSON, "Authorization": "Bearer test-curator.wrong"}
        ).status_code
        == 401
    )
    # the submitter sees their own, another contributor does not
    assert service.client.get(f"/submissions/{id}", headers={**JSON, **contributor}).status_code == 200
    other = TokenStore(service.folder / "tokens.json").create("other", Role.contributor)
    assert (
        service.client.get(
            f"/submissions/{id}", headers={**JSON, "Authorization": f"Bearer {other}"}
        ).status_code
        == 403
    )
    listed = service.client.get("/submissions", headers={**JSON, "Authorization": f"Bearer {other}"}).json()
    assert listed["submissions"] == []


@pytest.mark.parametrize("hostile", ["..%2F..%2Ftokens", "../tokens.json", "ABCDEFGHIJKM", "x" * 300, "%00"])
def test_hostile_ids_are_404(service: Writable, hostile: str) -> None:
    answer = service.client.get(f"/submissions/{hostile}", headers={**JSON, **service.auth("curator")})
    assert answer.status_code == 404
    approve = service.client.post(f"/submissions/{hostile}/approve", json={}, headers=service.auth("curator"))
    assert approve.status_code == 404


def test_review_shows_minted_nodes_with_suggestions(service: Writable) -> None:
    id = send(service)["id"]
    view = service.client.get(f"/submissions/{id}", headers={**JSON, **service.auth("curator")}).json()
    minted = {m["iri"]: m for m in view["minted"]}
    assert set(minted) == {FOUNDATION, UNESCO_COPY}
    best = minted[UNESCO_COPY]["suggestions"][0]
    assert best["iri"] == UNESCO and best["score"] == 1.0 and "same label" in best["reason"]
    subjects = [g["subject"].get("iri") for g in view["content"]]
    assert FOUNDATION in subjects and UNESCO_COPY in subjects


def test_approve_publishes_at_once_with_prov_and_one_node_per_thing(service: Writable) -> None:
    id = send(service)["id"]
    version = service.store.version()
    answer = service.client.post(
        f"/submissions/{id}/approve",
        json={"choices": {UNESCO_COPY: UNESCO, FOUNDATION: "new"}},
        headers={**JSON, **service.auth("curator")},
    )
    assert answer.status_code == 200, answer.text
    graph = answer.json()["submission"]["graph"]
    assert answer.json()["submission"]["status"] == "approved"
    assert answer.json()["committed"]["version"] != version
    # /sparql answers with the new data and its provenance straight away
    assert ask(
        service,
        f"ASK {{ GRAPH <{graph}> {{ <{FOUNDATION}> <https://w3id.org/coopgraph/def#subOrganizationOf> <{UNESCO}> }} }}",
    )
    assert ask(
        service,
        f"""PREFIX prov: <http://www.w3.org/ns/prov#>
        ASK {{ GRAPH <{graph}> {{ <{graph}> a prov:Entity ; prov:wasAttributedTo ?who ; prov:generatedAtTime ?t ;
            prov:wasGeneratedBy ?act ; prov:hadPrimarySource ?src ; prov:qualifiedAttribution ?a .
            ?act prov:wasAssociatedWith ?who . ?a a <https://w3id.org/coopgraph/def#Approval> ; prov:agent ?c ; prov:atTime ?when .
            ?who <http://www.w3.org/2000/01/rdf-schema#label> "test-contributor" .
            ?c <http://www.w3.org/2000/01/rdf-schema#label> "test-curator" }} }}""",
    )
    assert not ask(service, f"ASK {{ {{ <{UNESCO_COPY}> ?p ?o }} UNION {{ ?s ?p <{UNESCO_COPY}> }} }}")
    got = service.client.get("/graph-store", params={"graph": graph}, headers={"Accept": "text/turtle"})
    assert (rdflib.URIRef(FOUNDATION), None, None) in rdflib.Graph().parse(data=got.text, format="turtle")
    again = service.client.post(f"/submissions/{id}/approve", json={}, headers=service.auth("curator"))
    assert again.status_code == 409


def test_reject_leaves_the_store_byte_for_byte_unchanged(service: Writable) -> None:
    id = send(service)["id"]
    before = fingerprint(service.store)
    no_reason = service.client.post(f"/submissions/{id}/reject", json={}, headers=service.auth("curator"))
    assert no_reason.status_code == 400 and no_reason.json()["name"] == "reason"
    answer = service.client.post(
        f"/submissions/{id}/reject",
        json={"reason": "the source does not say this"},
        headers={**JSON, **service.auth("curator")},
    )
    assert answer.status_code == 200 and answer.json()["submission"]["status"] == "rejected"
    assert fingerprint(service.store) == before
    listed = service.client.get(
        "/submissions?status=rejected", headers={**JSON, **service.auth("curator")}
    ).json()
    assert [s["id"] for s in listed["submissions"]] == [id]
    assert (
        service.client.get(
            "/submissions?status=lost", headers={**JSON, **service.auth("curator")}
        ).status_code
        == 400
    )


def test_withdraw_leaves_no_trace(service: Writable) -> None:
    before = fingerprint(service.store)
    id = send(service)["id"]
    curator = service.auth("curator")
    assert service.client.post(f"/submissions/{id}/withdraw", json={}, headers=curator).status_code == 409
    assert (
        service.client.post(
            f"/submissions/{id}/approve", json={"choices": {UNESCO_COPY: UNESCO}}, headers=curator
        ).status_code
        == 200
    )
    answer = service.client.post(
        f"/submissions/{id}/withdraw", json={"reason": "sent twice"}, headers={**JSON, **curator}
    )
    assert answer.status_code == 200 and answer.json()["submission"]["status"] == "withdrawn"
    assert fingerprint(service.store) == before
    assert not ask(service, f"ASK {{ <{FOUNDATION}> ?p ?o }}")
    operations = [
        e["operation"]
        for e in AuditLog(service.folder / "audit.jsonl").entries()
        if e.get("result") == "committed"
    ]
    assert operations == ["APPROVE", "WITHDRAW"]


def test_browser_review_with_the_session_and_csrf(service: Writable) -> None:
    id = send(service)["id"]
    anonymous = service.client.get(f"/submissions/{id}", headers=HTML, follow_redirects=False)
    assert anonymous.status_code == 303 and anonymous.headers["location"].endswith(
        f"/login?next=%2Fsubmissions%2F{id}"
    )
    log_in(service, "curator")
    page = service.client.get(f"/submissions/{id}?lang=es", headers=HTML)
    assert page.status_code == 200 and "Aprobar y publicar" in page.text
    assert f'name="choice:{UNESCO_COPY}" value="{UNESCO}"' in page.text
    before = fingerprint(service.store)
    form = {f"choice:{UNESCO_COPY}": UNESCO, f"choice:{FOUNDATION}": "new"}
    missing = service.client.post(f"/submissions/{id}/approve", data=form, headers=HTML)
    assert missing.status_code == 403 and "csrf" in missing.json()["message"]
    wrong = service.client.post(f"/submissions/{id}/approve", data={**form, "csrf": "forged"}, headers=HTML)
    assert wrong.status_code == 403
    assert (
        fingerprint(service.store) == before
        and service.client.get(f"/submissions/{id}", headers=JSON).json()["submission"]["status"] == "pending"
    )
    done = service.client.post(
        f"/submissions/{id}/approve",
        data={**form, "csrf": csrf_of(page.text)},
        headers=HTML,
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"].endswith(f"/submissions/{id}")
    shown = service.client.get(f"/submissions/{id}", headers=HTML).text
    assert 'data-status="approved"' in shown and "withdraw" in shown


def test_revoking_the_token_ends_the_browser_session(service: Writable) -> None:
    log_in(service, "curator")
    assert service.client.get("/submissions", headers=JSON).status_code == 200
    TokenStore(service.folder / "tokens.json").revoke("test-curator")
    assert service.client.get("/submissions", headers=JSON).status_code == 401


def test_a_failed_approval_in_the_browser_shows_the_report(service: Writable) -> None:
    id = send(service)["id"]
    log_in(service, "curator")
    page = service.client.get(f"/submissions/{id}", headers=HTML).text
    before = fingerprint(service.store)
    answer = service.client.post(
        f"/submissions/{id}/approve",
        data={f"choice:{FOUNDATION}": UNESCO, "csrf": csrf_of(page)},
        headers=HTML,
    )
    assert answer.status_code == 422 and "does not conform" in answer.text
    assert fingerprint(service.store) == before


def test_concurrent_approvals_over_http_commit_exactly_once(tmp_path: Path) -> None:
    with served(tmp_path) as (url, store, tokens):
        headers = {"Authorization": f"Bearer {tokens['curator']}", "Accept": "application/json"}
        sent = httpx.post(
            url + "submissions",
            content=CONTRIBUTION,
            headers={**TURTLE, "Authorization": f"Bearer {tokens['contributor']}"},
        )
        assert sent.status_code == 201
        id = sent.json()["id"]
        statuses: list[int] = []
        start = threading.Barrier(2)

        def approve(choices: dict[str, str]) -> None:
            start.wait()
            answer = httpx.post(
                url + f"submissions/{id}/approve", json={"choices": choices}, headers=headers, timeout=60
            )
            statuses.append(answer.status_code)

        threads = [threading.Thread(target=approve, args=(c,)) for c in ({UNESCO_COPY: UNESCO}, {})]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(statuses) == [200, 409]
        graphs = [g for g in store.named_graphs() if g.endswith(id)]
        assert len(graphs) == 1


@pytest.mark.parametrize("accept", [None, "*/*", "application/json, */*;q=0.5"])
def test_a_decision_answers_json_to_a_client_that_does_not_ask_for_a_page(
    service: Writable, accept: str | None
) -> None:
    """curl sends ``Accept: */*`` (httpx too): it gets the JSON answer, not a 303 to a page."""
    id = send(service)["id"]
    headers = {**service.auth("curator"), **({"Accept": accept} if accept else {})}
    answer = service.client.post(
        f"/submissions/{id}/reject",
        json={"reason": "not in the source"},
        headers=headers,
        follow_redirects=False,
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["submission"]["status"] == "rejected"
    browser = service.client.post(
        f"/submissions/{send(service)['id']}/reject",
        json={"reason": "not in the source"},
        headers={**service.auth("curator"), "Accept": "text/html,application/xhtml+xml,*/*;q=0.8"},
        follow_redirects=False,
    )
    assert browser.status_code == 303
