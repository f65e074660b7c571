"""Reading the archive in a real browser: following links, without JavaScript, on a phone,
in print, right to left."""

import re

import pytest
from playwright.sync_api import expect

from articles.models import Article
from tests.browser.conftest import DESKTOP, PHONE, screenshot
from tests.support.factories import make_article

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_reader_follows_the_seed_to_a_person_and_back(site, page):
    page.goto(site)
    page.get_by_role("link", name=re.compile("Border clashes with Pakistan")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Border clashes with Pakistan")
    expect(page.get_by_role("heading", name="Change in perception?")).to_be_visible()
    page.get_by_role("complementary").get_by_role("link", name="Faiz Hameed").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Faiz Hameed")
    expect(page.get_by_text("Faiz Hamid")).to_be_visible()
    page.get_by_role("link", name=re.compile("Border clashes with Pakistan")).first.click()
    expect(page).to_have_url(re.compile(r"/articles/border-clashes"))


def test_reading_works_without_javascript(site, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site)
    page.get_by_role("link", name=re.compile("Border clashes with Pakistan")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Border clashes")
    page.get_by_role("link", name="Places", exact=True).click()
    expect(page.get_by_role("link", name="Khost")).to_be_visible()
    context.close()


@pytest.mark.parametrize(("width", "viewport"), [("phone", PHONE), ("desktop", DESKTOP)])
def test_pages_fit_phones_and_desktops_and_are_captured(site, page, width, viewport):
    page.set_viewport_size(viewport)
    article = Article.objects.get().get_absolute_url()
    for name, path in [
        ("home", "/"),
        ("article", article),
        ("person", "/people/faiz-hameed/"),
        ("place", "/places/khost/"),
    ]:
        page.goto(site + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at {width} width"
        screenshot(page, f"{name}-{width}")


def test_print_shows_the_article_with_source_and_permalink_without_navigation(site, page):
    article = Article.objects.get()
    page.goto(site + article.get_absolute_url())
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".site-footer")).to_be_hidden()
    expect(page.locator(".permalink")).to_be_visible()
    expect(page.locator(".permalink")).to_contain_text(article.get_absolute_url())
    expect(page.locator(".article .source")).to_have_text("DW")


def test_right_to_left_articles_read_right_to_left(site, page):
    article = make_article(
        title="د تورخم لاره بیا پرانیستل شوه",
        body="سوداګرو وویل چې لاره بیا پرانیستل شوه.",
        language="ps",
    )
    page.goto(site + article.get_absolute_url())
    direction = page.locator("article.article").evaluate("e => getComputedStyle(e).direction")
    assert direction == "rtl"
    assert page.locator("article.article").get_attribute("lang") == "ps"
