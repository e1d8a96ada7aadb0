"""The search box in the header of every page: search-as-you-type, the keyboard, /search, axe."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.slow


def test_typing_bogota_lists_it_and_the_keyboard_opens_it(
    page: Any, axe: Callable[..., dict[str, Any]], screenshot: Callable[[Any, str], Path]
) -> None:
    page.goto("/explore")
    box = page.get_by_role("combobox", name="Search everything")
    box.click()
    box.press_sequentially("bogota", delay=40)
    listbox = page.get_by_role("listbox", name="Suggestions")
    option = listbox.get_by_role("option", name=re.compile(r"Bogot[aá]"))
    option.first.wait_for()
    assert box.get_attribute("aria-expanded") == "true"
    # the data spell it "Bogota"; a Spanish "Bogotá" would be found the same way (tests/explore)
    page.keyboard.press("ArrowDown")
    active = box.get_attribute("aria-activedescendant")
    assert active and page.locator(f"#{active}").get_attribute("aria-selected") == "true"
    assert re.search(r"Bogot[aá]", page.locator(f"#{active}").inner_text())
    page.keyboard.press("Escape")
    assert box.get_attribute("aria-expanded") == "false"
    page.keyboard.press("ArrowDown")  # opens again
    listbox.get_by_role("option").first.wait_for()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/id/place/bogota$"))


def test_acronyms_and_accents_in_the_suggestions(page: Any) -> None:
    page.goto("/")
    box = page.get_by_role("combobox", name="Search everything")
    box.fill("AECI")
    page.get_by_role("option", name=re.compile("Spanish Agency for International Cooperation")).wait_for()
    box.fill("ibermusicas")
    page.get_by_role("option", name=re.compile("IBERMÚSICAS")).first.wait_for()


def test_the_search_page(
    page: Any, axe: Callable[..., dict[str, Any]], screenshot: Callable[[Any, str], Path]
) -> None:
    page.goto("/")
    box = page.get_by_role("combobox", name="Search everything")
    box.fill("colombia")
    box.press("Enter")  # no suggestion chosen: the search page
    page.wait_for_url(re.compile(r"/search\?q=colombia"))
    assert page.get_by_role("heading", name=re.compile("^Countries")).is_visible()
    assert page.get_by_role("link", name="Colombia", exact=True).first.is_visible()
    axe(page)
    # the suggestions open over the results page, for the picture and for axe
    box = page.get_by_role("combobox", name="Search everything")
    box.fill("")
    box.press_sequentially("ministry of cul", delay=30)
    page.get_by_role("option").first.wait_for()
    page.keyboard.press("ArrowDown")
    axe(page)
    screenshot(page, "search")


def test_without_javascript_the_box_is_a_form(page: Any) -> None:
    page.context.set_extra_http_headers({})
    page.goto("/search?q=aeci")
    assert page.locator("form.site-search").get_attribute("action").endswith("/search")
    assert page.get_by_role("link", name="Spanish Agency for International Cooperation").is_visible()


def test_in_spanish_typing_bogota_shows_bogota_with_its_accent(page: Any) -> None:
    page.goto("/explore?lang=es")
    box = page.locator("input[role=combobox]")
    box.click()
    box.press_sequentially("bogota", delay=40)
    page.get_by_role("option", name=re.compile("Bogotá")).first.wait_for()
