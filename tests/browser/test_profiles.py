"""Profile pages in Chromium: summary first, timeline by year, money per currency; axe; screenshots."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

pytest.importorskip("playwright.sync_api")

from playwright.sync_api import Page, expect


def test_colombia_profile(
    page: Page, axe: Callable[..., dict[str, Any]], screenshot: Callable[[Page, str], Any]
) -> None:
    page.goto("/id/party/colombia")
    expect(page.locator("h1")).to_have_text("Colombia")
    summary = page.locator("#summary")
    expect(summary.locator("dd").first).to_have_text("Country")
    timeline = page.locator("#timeline ol.timeline > li")
    expect(timeline.first.locator("h3")).to_have_text("2020")
    assert timeline.count() > 5
    expect(page.locator("#timeline")).to_contain_text("Colombia-Guatemala Joint Commission")
    expect(page.locator("#money")).to_contain_text("No funding contribution")
    expect(page.locator("#articles")).to_contain_text("Article 12 (e)")
    # the profile comes before the statements and their sources
    tops = [
        page.locator(f"#{s}").bounding_box()["y"]
        for s in ("summary", "timeline", "partners", "money", "properties", "sources")
    ]  # type: ignore[index]
    assert tops == sorted(tops)
    screenshot(page, "profile-colombia")
    axe(page)


def test_ibermedia_profile(
    page: Page, axe: Callable[..., dict[str, Any]], screenshot: Callable[[Page, str], Any]
) -> None:
    page.goto("/id/programme/ibermedia")
    expect(page.locator("#summary")).to_contain_text("Programme")
    expect(page.locator("#summary")).to_contain_text("Audiovisual")
    expect(page.locator("#timeline ol.timeline > li h3")).to_have_text(["2014", "2012"])
    money = page.locator("#money table.money tbody tr")
    expect(money).to_have_count(1)
    expect(money.locator("th")).to_have_text("USD")
    expect(money.locator("td").first).to_have_text("1600000")
    expect(page.locator("#participants")).to_contain_text("Mexico")
    expect(page.locator("#results tbody tr")).to_have_count(3)
    expect(page.locator("#sources blockquote").first).to_be_visible()  # each statement's quote
    screenshot(page, "profile-ibermedia")
    axe(page)


def test_profile_in_spanish(page: Page) -> None:
    page.goto("/id/programme/ibermedia?lang=es")
    expect(page.locator("#summary")).to_contain_text("Audiovisual y cine")
