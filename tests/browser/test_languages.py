"""The archive's content in Urdu, Pashto and Dari in a real browser (issue 21): an article
read right to left with its other languages beside it, and a search narrowed to a
language. The chrome's own direction and translation are tested with the interface."""

import json
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.conftest import PHONE, axe_violations, html_checker_messages, screenshot

pytestmark = pytest.mark.django_db(transaction=True)

LANGUAGES = Path(__file__).resolve().parents[1] / "support" / "languages"


@pytest.fixture
def story_site(site):
    """The seeds, and a story in English with its Urdu, Pashto and Dari translations."""
    call_command("import_articles", str(LANGUAGES), verbosity=0)
    return site


@pytest.mark.parametrize(
    ("slug", "language"),
    [("torkham-reopens-ur", "ur"), ("torkham-reopens-ps", "ps"), ("torkham-reopens-prs", "fa-AF")],
)
def test_a_translation_reads_right_to_left_and_leads_to_its_original(
    story_site, page, slug, language
):
    page.set_viewport_size(PHONE)
    page.goto(f"{story_site}/articles/{slug}/")
    article = page.locator("article.article")
    assert article.get_attribute("lang") == language
    assert article.evaluate("e => getComputedStyle(e).direction") == "rtl"
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px on a phone"
    assert axe_violations(page) == []
    screenshot(page, f"article-{language}-phone")
    page.locator("p.versions").get_by_role("link", name="English").click()
    expect(page).to_have_url(re.compile(r"/articles/torkham-reopens/$"))
    expect(page.locator("p.versions").get_by_role("link")).to_have_count(3)


def test_a_search_narrowed_to_urdu_finds_the_urdu_version_by_a_latin_name(story_site, page):
    page.goto(f"{story_site}/search/?q=Zabihullah+Mujahid")
    results = page.locator(".search-results article.card")
    expect(results).to_have_count(1)
    expect(results.locator("p.versions a")).to_have_count(3)
    page.locator("#facet-language + ul").get_by_role("link", name=re.compile("اردو")).click()
    expect(page).to_have_url(re.compile(r"language=ur"))
    expect(results).to_have_count(1)
    card = results.first
    assert card.get_attribute("lang") == "ur"
    assert card.evaluate("e => getComputedStyle(e).direction") == "rtl"
    expect(card.get_by_role("link", name=re.compile("طورخم"))).to_be_visible()
    assert axe_violations(page) == []
    screenshot(page, "search-language-ur")


def test_the_pages_of_a_story_in_four_languages_are_valid_html(story_site, page, tmp_path):
    files = []
    for name, path in [
        ("original", "/articles/torkham-reopens/"),
        ("urdu", "/articles/torkham-reopens-ur/"),
        ("search", "/search/?q=%D8%B7%D9%88%D8%B1%D8%AE%D9%85"),
        ("search-ps", "/search/?q=Torkham&language=ps"),
    ]:
        file = tmp_path / f"{name}.html"
        file.write_text(page.request.get(story_site + path).text())
        files.append(file)
    messages = html_checker_messages(files)
    assert not messages, json.dumps(messages, indent=2, ensure_ascii=False)
