"""POST /match, GET /match and GET /match/requests/{slug} over the project data, as a client and as an attacker."""

from __future__ import annotations

import json
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient

from coopgraph.api.app import create_app
from coopgraph.config import Settings
from coopgraph.matching import WEIGHTS
from coopgraph.namespaces import resource_iri
from coopgraph.store import EmbeddedStore

AUDIOVISUAL = str(resource_iri("cultural-sector", "audiovisual"))
MUSIC = str(resource_iri("cultural-sector", "music"))
ARTICLE_14 = str(resource_iri("article", "14"))
MEXICO = str(resource_iri("party", "mexico"))
JAPAN_REQUEST = "japan-satellite-account-orange-economy"
SATELLITE_OFFER = str(resource_iri("offer", "colombia-dominican-republic-culture-satellite-account"))


@pytest.fixture(scope="module")
def client(settings: Settings, project_store: EmbeddedStore) -> Iterator[TestClient]:
    with TestClient(create_app(settings, project_store)) as c:
        yield c


def post(client: TestClient, body: object, **headers: str) -> object:
    return client.post(
        "/match", content=json.dumps(body), headers={"Content-Type": "application/json", **headers}
    )


def test_post_match_answers_ranked_matches_with_reasons(client: TestClient) -> None:
    r = client.post(
        "/match", json={"kind": "organisation", "sectors": [AUDIOVISUAL], "articles": [ARTICLE_14]}
    )
    assert r.status_code == 200
    body = r.json()
    matches = body["matches"]
    assert 0 < len(matches) <= 10
    assert [m["rank"] for m in matches] == list(range(1, len(matches) + 1))
    assert [m["score"] for m in matches] == sorted((m["score"] for m in matches), reverse=True)
    assert {"iri", "label", "kind", "score", "rank", "explanation", "evidence"} <= set(matches[0])
    assert all(m["explanation"] and m["evidence"] for m in matches)
    assert body["profile"]["sectors"] == [AUDIOVISUAL]


def test_post_match_says_which_weights_ranked(client: TestClient) -> None:
    r = client.post("/match", json={"sectors": [AUDIOVISUAL], "articles": [ARTICLE_14]})
    assert r.status_code == 200
    weights = r.json()["weights"]
    # the hand-set weights, which the leave-one-out measured better than weights fitted on the graph
    assert weights == {"source": "prior", "note": weights["note"], "values": WEIGHTS}
    assert "set by hand" in weights["note"]
    for m in r.json()["matches"]:
        assert m["score"] == pytest.approx(
            sum(weights["values"][k] * v for k, v in m["parts"].items()), abs=1e-4
        )
    page = client.get("/match", params={"sector": AUDIOVISUAL, "_format": "json"}).json()
    assert page["weights"] == weights


def test_post_match_is_deterministic(client: TestClient) -> None:
    body = {"sectors": [AUDIOVISUAL, MUSIC], "country": MEXICO, "seeks": "co-production of films", "top": 20}
    first = client.post("/match", json=body).json()
    assert all(client.post("/match", json=body).json() == first for _ in range(3))


def test_exclude_and_top(client: TestClient) -> None:
    found = client.post("/match", json={"sectors": [AUDIOVISUAL], "top": 3}).json()["matches"]
    assert len(found) == 3
    again = client.post("/match", json={"sectors": [AUDIOVISUAL], "top": 3, "exclude": [found[0]["iri"]]})
    assert found[0]["iri"] not in [m["iri"] for m in again.json()["matches"]]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"sectors": ["https://w3id.org/coopgraph/id/cultural-sector/nonsense"]}, "sectors"),
        ({"sectors": [ARTICLE_14]}, "sectors"),  # an article is not a sector
        ({"articles": [AUDIOVISUAL]}, "articles"),
        ({"modalities": ["urn:x"]}, "modalities"),
        ({"country": AUDIOVISUAL}, "country"),
        ({"exclude": ["https://w3id.org/coopgraph/id/party/atlantis"]}, "exclude"),
        ({"kind": "planet"}, "kind"),
        ({"top": 0}, "top"),
        ({"top": 10_000}, "top"),
        ({"top": "many"}, "top"),
        ({"sectors": AUDIOVISUAL}, "sectors"),  # not a list
        ({"sectors": [AUDIOVISUAL] * 51}, "sectors"),
        ({"seeks": "x" * 4001}, "seeks"),
        ({"offers": "nul\x00byte"}, "offers"),
        ({"country": "x" * 501}, "country"),
        ({"colour": "red"}, "colour"),
        ([AUDIOVISUAL], "body"),
        ("text", "body"),
    ],
)
def test_bad_profiles_are_400_naming_the_field(client: TestClient, body: object, field: str) -> None:
    r = post(client, body)
    assert r.status_code == 400, r.text
    assert r.json()["name"] == field


@pytest.mark.parametrize(
    ("content", "content_type", "status"),
    [
        (b"{not json", "application/json", 400),
        (b"\xff\xfe{}", "application/json", 400),
        (b"[" * 100_000 + b"]" * 100_000, "application/json", 413),
        (b"[" * 30_000 + b"]" * 30_000, "application/json", 400),
        (b'{"sectors": []}', "text/plain", 415),
        (b"{}", "application/x-www-form-urlencoded", 415),
        (json.dumps({"seeks": "a " * 40_000}).encode(), "application/json", 413),
    ],
)
def test_hostile_bodies(client: TestClient, content: bytes, content_type: str, status: int) -> None:
    r = client.post("/match", content=content, headers={"Content-Type": content_type})
    assert r.status_code == status, r.text
    assert r.json()["message"]


def test_empty_profile_still_answers(client: TestClient) -> None:
    r = client.post("/match", json={})
    assert r.status_code == 200
    assert [m["rank"] for m in r.json()["matches"]] == list(range(1, len(r.json()["matches"]) + 1))


def test_concurrent_requests_agree(client: TestClient) -> None:
    body = {"sectors": [AUDIOVISUAL], "articles": [ARTICLE_14], "seeks": "film"}
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda _: client.post("/match", json=body).json(), range(16)))
    assert all(a == answers[0] for a in answers)


def test_get_match_page_has_pickers_and_works_without_a_profile(client: TestClient) -> None:
    r = client.get("/match", headers={"Accept": "text/html"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    assert f'<option value="{AUDIOVISUAL}"' in r.text
    assert f'<option value="{ARTICLE_14}"' in r.text
    assert 'name="modality"' in r.text and 'name="country"' in r.text
    assert f"/match/requests/{JAPAN_REQUEST}" in r.text


def test_get_match_form_gives_the_same_matches_as_post(client: TestClient) -> None:
    params = {"sector": AUDIOVISUAL, "article": ARTICLE_14, "kind": "organisation"}
    page = client.get("/match", params=params, headers={"Accept": "application/json"})
    assert page.status_code == 200
    posted = client.post(
        "/match", json={"sectors": [AUDIOVISUAL], "articles": [ARTICLE_14], "kind": "organisation"}
    )
    assert page.json()["matches"] == posted.json()["matches"]
    html = client.get("/match", params=params, headers={"Accept": "text/html"}).text
    first = posted.json()["matches"][0]
    assert first["label"].replace("'", "&#39;") in html and "selected" in html


def test_get_match_spanish_pickers(client: TestClient) -> None:
    r = client.get("/match?lang=es", headers={"Accept": "text/html"})
    assert r.status_code == 200
    assert f'<option value="{AUDIOVISUAL}">Audiovisual y cine</option>' in r.text
    english = client.get("/match?lang=en", headers={"Accept": "text/html"}).text
    assert f'<option value="{AUDIOVISUAL}">Audiovisual and film</option>' in english


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("sector=urn:x", "sectors"),
        ("kind=a&kind=b", "kind"),
        ("top=-1&sector=" + AUDIOVISUAL, "top"),
        ("_format=xml", "_format"),
        ("lang=klingon", "lang"),
    ],
)
def test_get_match_bad_parameters(client: TestClient, query: str, name: str) -> None:
    r = client.get("/match?" + query, headers={"Accept": "application/json"})
    assert r.status_code == 400, r.text
    assert r.json()["name"] == name


def test_request_matches_offers(client: TestClient) -> None:
    r = client.get(f"/match/requests/{JAPAN_REQUEST}", headers={"Accept": "application/json"})
    assert r.status_code == 200
    body = r.json()
    assert body["request"]["kind"] == "request"
    first = body["matches"][0]
    assert first["iri"] == SATELLITE_OFFER
    assert "Cultural statistics" in first["explanation"]
    assert any(e["type"] == "activity" for e in first["evidence"])
    html = client.get(f"/match/requests/{JAPAN_REQUEST}", headers={"Accept": "text/html"})
    assert html.status_code == 200 and "knowledge of its culture satellite account" in html.text


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/match/requests/no-such-request", 404),
        ("/match/requests/Bad_Slug", 400),
        ("/match/requests/" + "a" * 300, 400),
        (f"/match/requests/{JAPAN_REQUEST}?top=0", 400),
        (f"/match/requests/{JAPAN_REQUEST}?top=99999999999999999999", 400),
    ],
)
def test_request_matches_bad_input(client: TestClient, path: str, status: int) -> None:
    r = client.get(path, headers={"Accept": "application/json"})
    assert r.status_code == status, r.text


def test_match_is_in_the_openapi_document(client: TestClient) -> None:
    doc = client.get("/openapi.json").json()
    assert "post" in doc["paths"]["/match"]
    schema = doc["paths"]["/match"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert "sectors" in schema["properties"]


# -- the reader's language ---------------------------------------------------------------------

IBERMEDIA = str(resource_iri("programme", "ibermedia"))
PROFILE = {"kind": "organisation", "sectors": [AUDIOVISUAL], "articles": [ARTICLE_14], "country": MEXICO}


def _ibermedia_reason(matches: list[dict[str, object]]) -> str:
    return next(str(m["explanation"]) for m in matches if IBERMEDIA in {e["iri"] for e in m["evidence"]})  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("how", "expected", "not_expected"),
    [
        ({"params": {"lang": "es"}}, "trabaja en", "works on"),
        ({"headers": {"Accept-Language": "fr-FR,fr;q=0.9"}}, "travaille dans", "works on"),
        ({"headers": {"Accept-Language": "de"}}, "works on", "trabaja en"),
        ({}, "works on", "travaille dans"),
    ],
)
def test_post_match_explains_in_the_readers_language(
    client: TestClient, how: dict[str, dict[str, str]], expected: str, not_expected: str
) -> None:
    client.cookies.clear()  # ?lang= sets the lang cookie, which comes before Accept-Language
    r = client.post("/match", json=PROFILE, **how)
    assert r.status_code == 200
    reason = _ibermedia_reason(r.json()["matches"])
    assert expected in reason and not_expected not in reason
    assert "IBERMEDIA" in reason
    assert "Vary" in r.headers and "Accept-Language" in r.headers["Vary"]


def test_explanations_in_one_language_are_the_same_every_time(client: TestClient) -> None:
    answers = [client.post("/match", json=PROFILE, params={"lang": "fr"}).json() for _ in range(3)]
    assert answers[0] == answers[1] == answers[2]
    # labels follow the language too: the profile's country, Mexico, is Mexique in French
    assert "Mexique" in json.dumps(answers[0]["matches"], ensure_ascii=False)


def test_match_page_speaks_spanish(client: TestClient) -> None:
    r = client.get(
        "/match",
        params={"sector": AUDIOVISUAL, "article": ARTICLE_14, "kind": "organisation", "lang": "es"},
    )
    assert r.status_code == 200
    assert 'lang="es"' in r.text and "Buscar socios" in r.text and "trabaja en" in r.text
    assert "Find partners" not in r.text


def test_request_offers_explained_in_french(client: TestClient) -> None:
    r = client.get(f"/match/requests/{JAPAN_REQUEST}", params={"lang": "fr", "_format": "json"})
    assert r.status_code == 200
    first = r.json()["matches"][0]
    assert first["iri"] == SATELLITE_OFFER and first["explanation"].startswith("offre ")


@pytest.mark.parametrize("lang", ["de", "xx" * 50, "es\x00"])
def test_post_match_refuses_an_unknown_lang(client: TestClient, lang: str) -> None:
    r = client.post("/match", json=PROFILE, params={"lang": lang})
    assert r.status_code == 400
    assert "lang" in r.text
