"""The profile of a resource: what a reader wants first, before the statements of its page.

A profile has a summary (what it is, its country, its sectors, its period, at a glance), a
timeline of its activities by year, the money it gives and receives per currency (totals are
never added across currencies), the Convention articles it relates to (itself or through its
activities), and, for programmes, funds and other activities, their participants and results.

Each section is one ``queries/internal/profile-*.rq`` query with the resource bound as an RDF
term; labels come in every language and are picked here by the reader's languages
(:func:`~coopgraph.linkeddata.labels.pick_label`). :func:`build_profile` returns plain data: the
resource page renders it, and ``/id/...?_profile=json`` serves it as JSON.
"""

from __future__ import annotations

import contextlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

import pyoxigraph as ox

from coopgraph.linkeddata.facts import Row, select
from coopgraph.linkeddata.labels import local_url, pick_label, qname
from coopgraph.queries import QueryCatalogue
from coopgraph.store import Store

SUMMARY_FACETS: tuple[tuple[str, str], ...] = (
    ("type", "What it is"),
    ("country", "Country"),
    ("sector", "Organisation sector"),
    ("category", "Stakeholder category"),
    ("cultural-sector", "Cultural sector"),
    ("modality", "Modality"),
    ("status", "Status"),
)
"""The summary's facets that name resources, in the order shown, with their headings."""

UNDATED = "undated"
"""The timeline key of the items without a date."""


def _labels(rows: Iterable[Row], key: str, label: str = "label") -> dict[str, dict[str, str]]:
    """Labels by IRI (of the ``key`` column) and language tag."""
    found: dict[str, dict[str, str]] = defaultdict(dict)
    for row in rows:
        term = row.get(key)
        text = row.get(label)
        if term is None:
            continue
        found[term.value]
        if isinstance(text, ox.Literal):
            found[term.value].setdefault(text.language or "", text.value)
    return found


def _year(text: str | None) -> int | None:
    """The year a date starts with.

    >>> _year("2012-05-01"), _year("2020"), _year("c. 2001"), _year(None)
    (2012, 2020, None, None)
    """
    if not text or len(text) < 4 or not text[:4].isdigit():
        return None
    return int(text[:4])


def period(start: str | None, end: str | None) -> str | None:
    """A period as people write it.

    >>> period("2012", "2015"), period("2012-03", None), period(None, "2015"), period(None, None)
    ('2012–2015', 'from 2012-03', 'until 2015', None)
    >>> period("2014", "2014")
    '2014'
    """
    if start and end:
        return start if start == end else f"{start}–{end}"
    if start:
        return f"from {start}"
    if end:
        return f"until {end}"
    return None


class _Linker:
    def __init__(self, labels: dict[str, dict[str, str]], languages: Sequence[str], base: str) -> None:
        self.labels = labels
        self.languages = list(languages)
        self.base = base

    def link(self, iri: str) -> dict[str, str]:
        label = pick_label(self.labels.get(iri, {}), self.languages) or qname(iri)
        return {"iri": iri, "href": local_url(iri, self.base), "label": label}


def summary_section(rows: Sequence[Row], link: _Linker) -> dict[str, Any]:
    """The summary: resource-valued facets as links, the period, the aim and the description."""
    values: dict[str, list[str]] = defaultdict(list)
    texts: dict[str, dict[str, str]] = defaultdict(dict)
    for row in rows:
        facet, value = row["facet"].value, row["value"]
        if isinstance(value, ox.NamedNode):
            if value.value not in values[facet]:
                values[facet].append(value.value)
        elif isinstance(value, ox.Literal):
            texts[facet].setdefault(value.language or "", value.value)
    facets = [
        {"facet": name, "heading": heading, "values": [link.link(v) for v in sorted(values[name])]}
        for name, heading in SUMMARY_FACETS
        if values.get(name)
    ]

    def text(name: str) -> str | None:
        return pick_label(texts[name], link.languages) if texts.get(name) else None

    date = text("date")
    return {
        "facets": facets,
        "period": period(text("start"), text("end")) or date,
        "aim": text("aim"),
        "description": text("description"),
    }


def timeline_section(rows: Sequence[Row], link: _Linker) -> list[dict[str, Any]]:
    """Items by year of their start (or date), latest year first; undated items last."""
    items: dict[str, dict[str, Any]] = {}
    for row in rows:
        iri = row["item"].value
        item = items.setdefault(
            iri,
            {
                "iri": iri,
                "relation": row["relation"].value,
                "type": None,
                "start": None,
                "end": None,
                "date": None,
            },
        )
        for name in ("start", "end", "date"):
            if name in row and item[name] is None:
                item[name] = row[name].value
        if "type" in row and item["type"] is None:
            item["type"] = row["type"].value
    years: dict[int | None, list[dict[str, Any]]] = defaultdict(list)
    for item in items.values():
        first = _year(item["start"]) or _year(item["date"])
        shown = link.link(item["iri"])
        years[first].append(
            {
                **shown,
                "relation": item["relation"],
                "type": link.link(item["type"]) if item["type"] else None,
                "period": period(item["start"], item["end"]) or item["date"],
            }
        )
    ordered = sorted((y for y in years if y is not None), reverse=True)
    groups = [{"year": y, "items": sorted(years[y], key=lambda i: i["label"].lower())} for y in ordered]
    if None in years:
        groups.append({"year": UNDATED, "items": sorted(years[None], key=lambda i: i["label"].lower())})
    return groups


def money_section(rows: Sequence[Row], link: _Linker) -> dict[str, Any]:
    """Contributions in and out, totalled per currency and direction (never across currencies).

    Returns
    -------
    dict
        ``totals``: one row per currency with ``in`` and ``out`` (``total`` as a decimal string,
        ``flows``, ``approximate`` flows); ``contributions``: each one with its direction, the
        other party, amount and currency; ``unstated``: contributions without an amount or a
        currency (counted, never totalled).
    """
    seen: dict[str, dict[str, Any]] = {}
    for row in rows:
        iri = row["contribution"].value
        if iri in seen:
            continue
        amount: Decimal | None = None
        if "amount" in row:
            try:
                amount = Decimal(row["amount"].value)
            except InvalidOperation:
                amount = None
        seen[iri] = {
            "contribution": link.link(iri),
            "direction": row["direction"].value,
            "other": link.link(row["other"].value) if "other" in row else None,
            "amount": amount,
            "currency": row["currency"].value if "currency" in row else None,
            "approximate": "approximate" in row and row["approximate"].value in ("true", "1"),
        }
    totals: dict[str, dict[str, dict[str, Any]]] = {}
    unstated = 0
    for c in seen.values():
        if c["amount"] is None or not c["currency"]:
            unstated += 1
            continue
        per = totals.setdefault(
            c["currency"],
            {d: {"total": Decimal(0), "flows": 0, "approximate": 0} for d in ("in", "out")},
        )
        cell = per[c["direction"]]
        cell["total"] += c["amount"]
        cell["flows"] += 1
        cell["approximate"] += int(c["approximate"])
    contributions = sorted(
        seen.values(), key=lambda c: (c["direction"], c["currency"] or "", c["contribution"]["label"])
    )
    return {
        "totals": [
            {
                "currency": currency,
                **{
                    d: {**cell, "total": _decimal_text(cell["total"])} for d, cell in totals[currency].items()
                },
            }
            for currency in sorted(totals)
        ],
        "contributions": [
            {**c, "amount": _decimal_text(c["amount"]) if c["amount"] is not None else None}
            for c in contributions
        ],
        "unstated": unstated,
    }


def _decimal_text(value: Decimal) -> str:
    """A decimal without exponent or trailing zeros.

    >>> _decimal_text(Decimal("1600000.00")), _decimal_text(Decimal("0"))
    ('1600000', '0')
    """
    text = format(value.normalize(), "f")
    return text


def articles_section(rows: Sequence[Row], link: _Linker) -> list[dict[str, Any]]:
    """Articles, each with whether the resource relates to it itself and the activities that do."""
    found: dict[str, dict[str, Any]] = {}
    for row in rows:
        article = row["article"].value
        entry = found.setdefault(article, {"direct": False, "via": []})
        if "via" in row:
            if row["via"].value not in entry["via"]:
                entry["via"].append(row["via"].value)
        else:
            entry["direct"] = True
    return [
        {
            **link.link(article),
            "direct": entry["direct"],
            "via": sorted((link.link(v) for v in entry["via"]), key=lambda v: v["label"].lower()),
        }
        for article, entry in sorted(found.items(), key=lambda kv: _article_order(kv[0]))
    ]


def _article_order(iri: str) -> tuple[int, str]:
    """Articles in their numeric order (12 before 12-e before 14).

    >>> sorted(["x/article/14", "x/article/12-e", "x/article/12"], key=_article_order)
    ['x/article/12', 'x/article/12-e', 'x/article/14']
    """
    tail = iri.rsplit("/", 1)[-1]
    number = tail.split("-", 1)[0]
    return (int(number) if number.isdigit() else 10_000, tail)


def participants_section(rows: Sequence[Row], link: _Linker) -> list[dict[str, Any]]:
    """Participants with their kind and roles (stated roles, else the property that links them)."""
    found: dict[str, dict[str, Any]] = {}
    for row in rows:
        iri = row["participant"].value
        entry = found.setdefault(iri, {"type": None, "roles": [], "links": []})
        if "type" in row and entry["type"] is None:
            entry["type"] = row["type"].value
        if "roleLabel" in row and row["roleLabel"].value not in entry["roles"]:
            entry["roles"].append(row["roleLabel"].value)
        if "linkLabel" in row and row["linkLabel"].value not in entry["links"]:
            entry["links"].append(row["linkLabel"].value)
    result = [
        {
            "participant": link.link(iri),
            "type": link.link(e["type"]) if e["type"] else None,
            "roles": sorted(e["roles"]) or sorted(e["links"]),
        }
        for iri, e in found.items()
    ]
    return sorted(result, key=lambda p: p["participant"]["label"].lower())


def results_section(rows: Sequence[Row], link: _Linker) -> list[dict[str, Any]]:
    """Results with their figures (quantity, unit, qualifier) and period, earliest first."""
    found: dict[str, dict[str, Any]] = {}
    for row in rows:
        iri = row["result"].value
        if iri in found:
            continue
        quantity = row["quantity"].value if "quantity" in row else None
        if quantity is not None:
            with contextlib.suppress(InvalidOperation):  # a malformed figure is shown as written
                quantity = _decimal_text(Decimal(quantity))
        found[iri] = {
            "result": link.link(iri),
            "quantity": quantity,
            "unit": row["unit"].value if "unit" in row else None,
            "qualifier": row["qualifier"].value if "qualifier" in row else None,
            "period": period(
                row["start"].value if "start" in row else None, row["end"].value if "end" in row else None
            ),
        }
    return sorted(found.values(), key=lambda r: (r["period"] or "~", r["result"]["label"].lower()))


def build_profile(
    store: Store, catalogue: QueryCatalogue, iri: str, languages: Sequence[str], base: str
) -> dict[str, Any]:
    """The profile of the resource ``iri``: summary, timeline, money, articles, participants, results.

    Parameters
    ----------
    store, catalogue
        Where the ``profile-*`` queries run.
    iri
        The resource.
    languages
        Language tags, best first: the labels shown are picked in them, else English, else any.
    base
        The service's base URL (links point here).

    Returns
    -------
    dict
        ``iri``, ``label``, ``summary``, ``timeline`` (groups by ``year``, latest first, then
        ``"undated"``), ``money`` (see :func:`money_section`), ``articles``, ``participants``
        and ``results``; plain JSON-ready data.

    Examples
    --------
    >>> from coopgraph.config import Settings
    >>> from coopgraph.store import EmbeddedStore
    >>> p = build_profile(EmbeddedStore(None), QueryCatalogue(Settings().queries_dir), "urn:x", ["en"], "http://h/")
    >>> p["timeline"], p["money"]["totals"], p["participants"]
    ([], [], [])
    """
    node = ox.NamedNode(iri)

    def rows(name: str) -> list[Row]:
        return select(store, catalogue, f"profile-{name}", _resource_iri=node)

    summary = rows("summary")
    activities = rows("activities")
    money = rows("money")
    articles = rows("articles")
    participants = rows("participants")
    results = rows("results")
    labels: dict[str, dict[str, str]] = defaultdict(dict)
    for table, key, column in (
        (summary, "value", "label"),
        (activities, "item", "label"),
        (money, "other", "otherLabel"),
        (articles, "article", "label"),
        (participants, "participant", "label"),
        (results, "result", "label"),
    ):
        for found_iri, by_lang in _labels(table, key, column).items():
            for lang, text in by_lang.items():
                labels[found_iri].setdefault(lang, text)
    for found_iri, by_lang in (
        _labels(activities, "type", "typeLabel") | _labels(participants, "type", "typeLabel")
    ).items():
        for lang, text in by_lang.items():
            labels[found_iri].setdefault(lang, text)
    link = _Linker(labels, languages, base)
    own = select(store, catalogue, "profile-labels", _resource_iri=node)
    own_labels = {
        r["label"].language or "": r["label"].value for r in own if isinstance(r["label"], ox.Literal)
    }
    return {
        "iri": iri,
        "label": pick_label(own_labels, link.languages) or qname(iri),
        "summary": summary_section(summary, link),
        "timeline": timeline_section(activities, link),
        "money": money_section(money, link),
        "articles": articles_section(articles, link),
        "participants": participants_section(participants, link),
        "results": results_section(results, link),
    }
