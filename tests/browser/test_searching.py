"""Searching in a real browser: words, people, facets and keyboard suggestions."""

import re

import pytest
from playwright.sync_api import expect

from articles.models import Entity
from tests.browser.conftest import DESKTOP, PHONE, screenshot
from tests.support.factories import make_article

pytestmark = pytest.mark.django_db(transaction=True)


def search_box(page):
    return page.get_by_role("combobox", name=re.compile("Search articles"))


def test_a_reader_searches_by_words_and_sees_highlighted_passages(site, page):
    page.goto(site)
    search_box(page).fill("garlands")
    search_box(page).press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("garlands")
    expect(page.locator(".search-count")).to_have_text("1 article")
    expect(page.locator("mark").first).to_have_text(re.compile("garland", re.IGNORECASE))
    expect(search_box(page)).to_have_value("garlands")


def test_a_reader_searches_by_a_person_in_another_spelling(site, page):
    page.goto(f"{site}/search/?q=Faiz+Hamid")
    expect(page.get_by_role("link", name="Person: Faiz Hameed")).to_be_visible()
    page.get_by_role("link", name=re.compile("Border clashes with Pakistan")).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Border clashes")


def test_facet_links_narrow_the_results_and_can_be_removed(site, page):
    khost = Entity.objects.get(kind="place", slug="khost")
    make_article(title="Market day in Khost", body="Traders in Khost sold melons.", tags=[khost])
    page.goto(f"{site}/search/?q=Taliban+OR+melons")
    expect(page.locator(".search-count")).to_have_text("2 articles")
    facets = page.get_by_role("complementary", name="Narrow the results")
    facets.get_by_role("region", name="Sources").get_by_role("link", name="DW").click()
    expect(page.locator(".search-count")).to_have_text("1 article")
    expect(page).to_have_url(re.compile("source=DW"))
    page.get_by_role("link", name=re.compile("Remove.*DW|DW.*remove", re.IGNORECASE)).first.click()
    expect(page.locator(".search-count")).to_have_text("2 articles")


def test_search_suggestions_work_with_the_keyboard(site, page):
    page.goto(site)
    box = search_box(page)
    box.press_sequentially("Jalal", delay=30)
    listbox = page.get_by_role("listbox")
    expect(listbox.get_by_role("option", name=re.compile("Jalalabad"))).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    box.press("ArrowDown")
    active = box.get_attribute("aria-activedescendant")
    assert active and page.locator(f"#{active}").inner_text().startswith("Jalalabad")
    box.press("Enter")
    expect(page).to_have_url(re.compile("/places/jalalabad/"))
    page.go_back()
    search_box(page).press_sequentially("Khos", delay=30)
    expect(page.get_by_role("listbox")).to_be_visible()
    search_box(page).press("Escape")
    expect(search_box(page)).to_have_attribute("aria-expanded", "false")


@pytest.mark.parametrize(("width", "viewport"), [("phone", PHONE), ("desktop", DESKTOP)])
def test_search_results_are_captured(site, page, width, viewport):
    page.set_viewport_size(viewport)
    page.goto(f"{site}/search/?q=Taliban")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    screenshot(page, f"search-{width}")
