"""The directory's profile of one cooperation source, with the quotes behind each statement.

Four ``queries/internal/directory-*.rq`` queries with the source bound as an RDF term: what the
source finances, for whom, how to reach it and who gives to it or receives from it
(``directory-profile``), the money it pays and receives (``directory-contributions``), the
amounts its profile says it typically gives (``directory-typical-amounts``) and the quotes of
every node those statements rest on (``directory-quotes``). Amounts are totalled per direction,
currency and period, never across currencies; a total that includes an approximate amount says
so. Typical amounts are listed per currency and never added up.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

import pyoxigraph as ox

from coopgraph.directory.sources import DirectoryFacts, directory_facts, profile_url, source_row
from coopgraph.errors import NotFound, ParameterError
from coopgraph.explore.common import KINDS, Labels
from coopgraph.explore.facets import explore_facts
from coopgraph.linkeddata.labels import local_url, pick_label
from coopgraph.linkeddata.profile import period
from coopgraph.namespaces import ID_BASE
from coopgraph.queries import QueryCatalogue
from coopgraph.store import Row, Store

SOURCE_PATH = re.compile(r"[a-z][a-z0-9-]{0,40}/[A-Za-z0-9][A-Za-z0-9._~-]{0,200}")
"""A source's path under ``/id/`` as ``/sources/{path}`` takes it (``fund/global-alliance-special-fund``)."""


def source_iri(path: str) -> str:
    """The IRI of the source at ``/sources/{path}``.

    Raises
    ------
    ParameterError
        When the path is not ``kind/slug`` (naming the parameter ``source``).

    Examples
    --------
    >>> source_iri("fund/ifcd")
    'https://w3id.org/coopgraph/id/fund/ifcd'
    >>> source_iri("../etc")
    Traceback (most recent call last):
    ...
    coopgraph.errors.ParameterError: parameter 'source': a path kind/slug under /id/ (letters, digits, '-', '.', '_', '~')
    """
    if not SOURCE_PATH.fullmatch(path) or ".." in path:
        raise ParameterError("source", "a path kind/slug under /id/ (letters, digits, '-', '.', '_', '~')")
    return ID_BASE + path


def _decimal_text(value: Decimal) -> str:
    """A decimal without exponent or trailing zeros.

    >>> _decimal_text(Decimal("1600000.00"))
    '1600000'
    """
    return format(value.normalize(), "f")


def grouped_digits(value: Decimal) -> str:
    """An amount as people read it, thousands grouped.

    >>> grouped_digits(Decimal("560229.00")), grouped_digits(Decimal("1600000"))
    ('560,229', '1,600,000')
    """
    return format(value.normalize(), ",f")


def _link(labels: Labels, iri: str, languages: Sequence[str], base: str) -> dict[str, Any]:
    kind = labels.kind(iri)
    return {
        "iri": iri,
        "url": local_url(iri, base),
        "label": labels.label(iri, languages),
        "kind": kind,
        "kind_label": KINDS[kind].title(languages) if kind in KINDS else kind,
    }


def _contact(iri: str, labels: Labels, languages: Sequence[str], base: str) -> dict[str, Any]:
    if iri.startswith("mailto:"):
        return {"kind": "email", "href": iri, "text": iri.removeprefix("mailto:")}
    if iri.startswith(("http://", "https://")) and not iri.startswith(ID_BASE):
        return {"kind": "web", "href": iri, "text": iri}
    return {"kind": "place", "href": local_url(iri, base), "text": labels.label(iri, languages)}


def _quotes(rows: Iterable[Row], labels: Labels, languages: Sequence[str], base: str) -> dict[str, list]:
    found: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        entry = {
            "document": row["document"].value,
            "document_url": local_url(row["document"].value, base),
            "document_label": labels.label(row["document"].value, languages),
            "locator": row["locator"].value if "locator" in row else None,
            "quote": row["quote"].value if "quote" in row else None,
        }
        if entry not in found[row["about"].value]:
            found[row["about"].value].append(entry)
    for entries in found.values():
        entries.sort(key=lambda q: (q["document_label"], q["locator"] or "", q["quote"] or ""))
    return dict(found)


def typical_amounts(rows: Iterable[Row]) -> list[dict[str, Any]]:
    """The amounts a source typically gives, per currency (never added up, never across currencies).

    Returns
    -------
    list
        One entry per currency (``None`` for amounts without one, last), each with its
        ``amounts``: ``iri``, ``value`` (a decimal string, ``None`` when not stated) and ``display``.

    Examples
    --------
    >>> rows = [{"amount": ox.NamedNode("urn:a2"), "value": ox.Literal("50000"), "currency": ox.Literal("USD")},
    ...         {"amount": ox.NamedNode("urn:a1"), "value": ox.Literal("20000.00"), "currency": ox.Literal("USD")},
    ...         {"amount": ox.NamedNode("urn:a3"), "value": ox.Literal("9000"), "currency": ox.Literal("EUR")}]
    >>> [(c["currency"], [a["display"] for a in c["amounts"]]) for c in typical_amounts(rows)]
    [('EUR', ['9,000']), ('USD', ['20,000', '50,000'])]
    """
    found: dict[str, dict[str, Any]] = {}
    for row in rows:
        iri = row["amount"].value
        value: Decimal | None = None
        if "value" in row:
            try:
                value = Decimal(row["value"].value)
            except InvalidOperation:
                value = None
        entry = found.setdefault(iri, {"iri": iri, "value": value, "currencies": set()})
        if "currency" in row:
            entry["currencies"].add(row["currency"].value)
    per_currency: dict[str | None, list[dict[str, Any]]] = defaultdict(list)
    for entry in found.values():
        # an amount stated in two currencies is listed under each, never converted
        for currency in sorted(entry["currencies"]) or [None]:
            per_currency[currency].append(entry)
    return [
        {
            "currency": currency,
            "amounts": [
                {
                    "iri": e["iri"],
                    "value": _decimal_text(e["value"]) if e["value"] is not None else None,
                    "display": grouped_digits(e["value"]) if e["value"] is not None else None,
                }
                for e in sorted(
                    entries, key=lambda e: (e["value"] is None, e["value"] or Decimal(0), e["iri"])
                )
            ],
        }
        for currency, entries in sorted(per_currency.items(), key=lambda c: (c[0] is None, c[0] or ""))
    ]


def money_section(rows: Sequence[Row], labels: Labels, languages: Sequence[str], base: str) -> dict[str, Any]:
    """The contributions and their totals per direction, currency and period (never across currencies).

    Returns
    -------
    dict
        ``totals``: one row per (direction, currency, period) with ``total`` (a decimal string),
        ``flows`` and ``approximate`` (how many of the flows are approximate);
        ``contributions``: each flow; ``unstated``: flows without an amount or a currency.
    """
    flows: dict[str, dict[str, Any]] = {}
    for row in rows:
        iri = row["contribution"].value
        if iri in flows:
            continue
        amount: Decimal | None = None
        if "amount" in row:
            try:
                amount = Decimal(row["amount"].value)
            except InvalidOperation:
                amount = None
        start = row["start"].value if "start" in row else None
        end = row["end"].value if "end" in row else None
        flows[iri] = {
            **_link(labels, iri, languages, base),
            "direction": row["direction"].value,
            "other": _link(labels, row["other"].value, languages, base) if "other" in row else None,
            "amount": amount,
            "currency": row["currency"].value if "currency" in row else None,
            "approximate": "approximate" in row and row["approximate"].value in ("true", "1"),
            "qualifier": row["qualifier"].value if "qualifier" in row else None,
            "period": period(start, end) or (row["date"].value if "date" in row else None),
            "kind_of_flow": _link(labels, row["kind"].value, languages, base) if "kind" in row else None,
        }
    totals: dict[tuple[str, str, str], dict[str, Any]] = {}
    unstated = 0
    for flow in flows.values():
        if flow["amount"] is None or not flow["currency"]:
            unstated += 1
            continue
        key = (flow["direction"], flow["currency"], flow["period"] or "")
        cell = totals.setdefault(key, {"total": Decimal(0), "flows": 0, "approximate": 0})
        cell["total"] += flow["amount"]
        cell["flows"] += 1
        cell["approximate"] += int(flow["approximate"])
    ordered = sorted(flows.values(), key=lambda f: (f["direction"], f["currency"] or "", f["label"]))
    return {
        "totals": [
            {
                "direction": direction,
                "currency": currency,
                "period": period_text or None,
                **cell,
                "total": _decimal_text(cell["total"]),
                "display": grouped_digits(cell["total"]),
            }
            for (direction, currency, period_text), cell in sorted(totals.items())
        ],
        "contributions": [
            {
                **f,
                "amount": _decimal_text(f["amount"]) if f["amount"] is not None else None,
                "display": grouped_digits(f["amount"]) if f["amount"] is not None else None,
            }
            for f in ordered
        ],
        "unstated": unstated,
    }


def source_profile(
    store: Store, catalogue: QueryCatalogue, iri: str, languages: Sequence[str], base: str
) -> dict[str, Any]:
    """The directory profile of the source ``iri``.

    Parameters
    ----------
    store, catalogue
        Where the ``directory-*`` queries run.
    iri
        The source.
    languages
        The languages labels are shown in, best first.
    base
        The service's base URL, ending with ``/``.

    Returns
    -------
    dict
        ``source`` (its row in the list), ``description``, ``aims``, ``finances`` (the activities
        it finances, each with its cultural sectors and articles, and how it finances them; the
        sectors and modalities its profile says it finances), ``eligible`` (the countries whose
        applicants it accepts), ``typical_amounts`` (see :func:`typical_amounts`),
        ``money`` (see :func:`money_section`), ``contributors``, ``recipients``,
        ``participants``, ``contact``, ``attributed`` and ``quotes`` (by the IRI of the node a
        statement rests on, each with its document, locator and quote).

    Raises
    ------
    NotFound
        When ``iri`` is not a source of the directory.
    """
    facts: DirectoryFacts = directory_facts(store, catalogue)
    if iri not in facts.sources:
        raise NotFound(f"no cooperation source {iri.removeprefix(ID_BASE)!r} in the directory")
    labels = facts.labels
    items = explore_facts(store, catalogue).items
    node = ox.NamedNode(iri)
    rows = store.select(catalogue.internal("directory-profile").text, {"_source_iri": node})
    money = store.select(catalogue.internal("directory-contributions").text, {"_source_iri": node})
    quote_rows = store.select(catalogue.internal("directory-quotes").text, {"_source_iri": node})
    amount_rows = store.select(catalogue.internal("directory-typical-amounts").text, {"_source_iri": node})

    def link(other: str) -> dict[str, Any]:
        return _link(labels, other, languages, base)

    texts: dict[str, dict[str, list[str]]] = {"description": defaultdict(list), "aim": defaultdict(list)}
    grouped: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    contact: list[dict[str, Any]] = []
    for row in rows:
        relation, item = row["relation"].value, row["item"]
        if relation in texts:
            lang = item.language or "" if isinstance(item, ox.Literal) else ""
            texts[relation][lang].append(item.value)
            continue
        if relation in ("contact", "contact-through", "email"):
            entry: dict[str, Any] = (
                {"kind": "email", "href": "mailto:" + item.value, "text": item.value}
                if relation == "email"
                else _contact(item.value, labels, languages, base)
            )
            if "via" in row:
                entry["via"] = link(row["via"].value)
            if entry not in contact:
                contact.append(entry)
            continue
        found = grouped[relation].setdefault(item.value, {**link(item.value), "how": []})
        if "how" in row:
            how = row["how"].value
            shown = labels.label(how, languages) if how.startswith(("http://", "https://")) else how
            if shown not in found["how"]:
                found["how"].append(shown)
    for activity in grouped.get("financed", {}).values():
        values = items[activity["iri"]].values if activity["iri"] in items else {}
        activity["sectors"] = sorted(
            (link(v) for v in values.get("cultural", ())), key=lambda v: v["label"].casefold()
        )
        activity["articles"] = sorted(
            (link(v) for v in values.get("article", ())), key=lambda v: v["label"].casefold()
        )

    def listed(relation: str) -> list[dict[str, Any]]:
        return sorted(grouped.get(relation, {}).values(), key=lambda v: (v["label"].casefold(), v["iri"]))

    def text(relation: str) -> list[str]:
        by_lang = texts[relation]
        if not by_lang:
            return []
        best = pick_label({lang: lang for lang in by_lang}, languages)
        return sorted(by_lang[best if best is not None else next(iter(by_lang))])

    row = source_row(facts, iri, languages, base)
    return {
        "source": row,
        "profile": profile_url(iri, base),
        "description": text("description"),
        "aims": text("aim"),
        "finances": {
            "activities": listed("financed"),
            "sectors": row["finances"],
            "articles": row["article"],
            "profile_sectors": listed("finances-sector"),
            "modalities": listed("finances-modality"),
        },
        "eligible": listed("eligible"),
        "typical_amounts": typical_amounts(amount_rows),
        "money": money_section(money, labels, languages, base),
        "contributors": listed("contributor"),
        "recipients": listed("recipient"),
        "participants": listed("participant"),
        "attributed": listed("attributed"),
        "contact": sorted(contact, key=lambda c: ("via" in c, c["kind"], c["text"])),
        "quotes": _quotes(quote_rows, labels, languages, base),
    }
