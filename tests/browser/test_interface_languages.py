"""The interface in Pashto, Dari and Urdu in a real browser: the home page, an article and
a search laid out right to left, accessible and valid, fitting a 360 px phone with nothing
overlapping, and mirrored (the site's name at the right edge, newer pages to the right)."""

import json
import re

import pytest
from playwright.sync_api import expect

from articles.models import Article
from tests.browser.conftest import PHONE, axe_violations, html_checker_messages, screenshot
from tests.support.factories import make_article

pytestmark = pytest.mark.django_db(transaction=True)

RIGHT_TO_LEFT = ("ps", "fa-af", "ur")
# What the chrome shows, each of which must sit clear of every other.
CHROME = (
    ".site-name, .sections a, .site-search input, .site-search button, .languages a,"
    " .pagination > *"
)
OVERLAPS = """selector => {
    const boxes = [...document.querySelectorAll(selector)]
        .map(e => [e, e.getBoundingClientRect()])
        .filter(([e, r]) => r.width > 0 && r.height > 0);
    const found = [];
    for (let i = 0; i < boxes.length; i++) {
        for (let j = i + 1; j < boxes.length; j++) {
            const [a, p] = boxes[i], [b, q] = boxes[j];
            if (a.contains(b) || b.contains(a)) continue;
            const x = Math.min(p.right, q.right) - Math.max(p.left, q.left);
            const y = Math.min(p.bottom, q.bottom) - Math.max(p.top, q.top);
            if (x > 1 && y > 1) found.push([a.outerHTML.slice(0, 80), b.outerHTML.slice(0, 80)]);
        }
    }
    return found;
}"""


@pytest.fixture
def archive(site):
    """The seed and two pages' worth of articles that name the Taliban."""
    for number in range(24):
        make_article(title=f"Taliban report {number}", body="The Taliban said.", days_ago=number)
    return site


def pages(language: str) -> dict[str, str]:
    article = Article.objects.get(slug__startswith="border-clashes").get_absolute_url()
    return {
        "home": f"/{language}/",
        "article": f"/{language}{article}",
        "search": f"/{language}/search/?q=Taliban",
    }


@pytest.mark.parametrize("language", RIGHT_TO_LEFT)
def test_pages_read_right_to_left_on_a_phone_accessible_and_mirrored(archive, page, language):
    page.set_viewport_size(PHONE)
    for name, path in pages(language).items():
        page.goto(archive + path)
        html = page.locator("html")
        assert (html.get_attribute("lang"), html.get_attribute("dir")) == (language, "rtl")
        assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{language} {name} scrolls sideways by {overflow}px"
        assert page.evaluate(OVERLAPS, CHROME) == [], f"{language} {name}: chrome overlaps"
        # Mirrored: the site's name starts the header at the right edge.
        name_box = page.locator(".site-name").bounding_box()
        assert name_box["x"] + name_box["width"] >= PHONE["width"] - 24, name_box
        assert not axe_violations(page), f"{language} {name}"
        screenshot(page, f"language-{language}-{name}-phone")


@pytest.mark.parametrize("language", RIGHT_TO_LEFT)
def test_pagination_points_the_way_a_right_to_left_reader_reads(archive, page, language):
    page.set_viewport_size(PHONE)
    page.goto(f"{archive}/{language}/?page=2")
    newer = page.locator(".pagination a[rel=prev]")
    assert newer.inner_text().startswith("›"), newer.inner_text()
    # The way back (newer) is at the right, where a right-to-left line begins.
    label = page.locator(".pagination > span").bounding_box()
    assert newer.bounding_box()["x"] > label["x"]
    page.goto(f"{archive}/{language}/search/?q=Taliban")
    following = page.locator(".pagination a[rel=next]")
    assert following.inner_text().endswith("‹"), following.inner_text()
    label = page.locator(".pagination > span").bounding_box()
    assert following.bounding_box()["x"] < label["x"]
    screenshot(page, f"language-{language}-search-pagination-phone")


def test_right_to_left_pages_are_valid_html(archive, page, tmp_path):
    files = []
    for language in RIGHT_TO_LEFT:
        for name, path in pages(language).items():
            file = tmp_path / f"{language}-{name}.html"
            file.write_text(page.request.get(archive + path).text())
            files.append(file)
    messages = html_checker_messages(files)
    assert not messages, json.dumps(messages, indent=2, ensure_ascii=False)


def test_suggestions_and_map_buttons_speak_the_pages_language(site, page):
    page.goto(f"{site}/ps/")
    box = page.locator("#site-search-q")
    box.press_sequentially("Jalal", delay=30)
    option = page.get_by_role("option", name=re.compile("Jalalabad"))
    expect(option).to_be_visible()
    # The kind and the count in Pashto, the count in Pashto's digits.
    expect(option.locator(".suggestion-meta")).to_have_text(re.compile(r"^ځای · [۰-۹]+ مقال"))
    expect(page.get_by_role("listbox")).to_have_attribute("aria-label", "وړاندیزونه")
    page.goto(f"{site}/ur/map/")
    expect(page.get_by_role("button", name="پورا نقشہ")).to_be_visible()
