"""The conflict at a glance in Chromium: the timeline, the map and who said what, read and
followed as a person would, with and without JavaScript, on a phone, in both themes and
in print."""

import re

import pytest
from playwright.sync_api import expect

from articles.models import Article, Quotation
from tests.browser.conftest import DESKTOP, PHONE, SCREENSHOTS, screenshot

pytestmark = pytest.mark.django_db(transaction=True)

GLANCE = {"timeline": "/timeline/", "map": "/map/", "person": "/people/abbas-basir/"}


def test_a_reader_narrows_the_timeline_and_follows_an_event(site, page):
    page.goto(site + "/timeline/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Timeline")
    expect(page.get_by_text("late November 2025 (day unknown)")).to_be_visible()
    page.locator(".facet").get_by_role("link", name="Kabul", exact=True).click()
    expect(page).to_have_url(re.compile(r"/timeline/\?place=kabul$"))
    expect(page.locator(".timeline-name")).to_have_count(2)
    page.get_by_role("link", name="Fall of Kabul").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fall of Kabul")


def test_the_map_zooms_and_pans_with_javascript_and_its_markers_lead_to_places(site, page):
    page.set_viewport_size(DESKTOP)
    page.goto(site + "/map/")
    svg = page.locator("svg.map-svg")
    whole = svg.get_attribute("viewBox")
    page.get_by_role("button", name="Zoom in").click()
    zoomed = svg.get_attribute("viewBox")
    assert zoomed != whole
    assert float(zoomed.split()[2]) < float(whole.split()[2])
    box = svg.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2 - 80, box["y"] + box["height"] / 2 - 40, steps=5)
    page.mouse.up()
    assert svg.get_attribute("viewBox") != zoomed
    page.get_by_role("button", name="Whole map").click()
    assert svg.get_attribute("viewBox") == whole
    page.locator('a[aria-label^="Khost:"]').click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Khost")


def test_the_glance_pages_work_without_javascript(site, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site + "/map/")
    expect(page.locator(".map-controls")).to_have_count(0)
    expect(page.locator("svg.map-svg .marker")).not_to_have_count(0)
    page.get_by_role("row", name=re.compile("^Kabul")).get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kabul")
    page.get_by_role("link", name="Timeline", exact=True).click()
    page.locator(".facet").get_by_role("link", name="2021").click()
    expect(page.locator(".timeline-name")).to_have_text(["Fall of Kabul"])
    context.close()


def test_a_quotation_leads_to_its_passage_in_the_article(site, page):
    page.goto(site + "/people/abbas-basir/")
    words = page.locator(".their-words")
    expect(words.get_by_role("heading")).to_contain_text("In their words")
    words.get_by_role("link").first.click()
    article = Article.objects.get()
    quotation = Quotation.objects.get(person__slug="abbas-basir")
    expect(page).to_have_url(re.compile(re.escape(article.get_absolute_url())))
    target = page.locator(f"#quotation-{quotation.pk}")
    expect(target).to_be_visible()
    expect(target).to_contain_text("By harboring the TTP")
    expect(target.get_by_role("link")).to_have_text("Abbas Basir")


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(("width", "viewport"), [("phone", PHONE), ("desktop", DESKTOP)])
def test_the_glance_pages_fit_phones_in_both_themes(site, page, scheme, width, viewport):
    page.emulate_media(color_scheme=scheme)
    page.set_viewport_size(viewport)
    for name, path in {**GLANCE, "article": Article.objects.get().get_absolute_url()}.items():
        page.goto(site + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at {width} width"
        screenshot(page, f"glance-{name}-{width}-{scheme}")
    page.goto(site + "/map/")
    map_width = page.locator("svg.map-svg").bounding_box()["width"]
    assert map_width <= viewport["width"]


def test_the_glance_pages_print_their_content_without_controls(site, page):
    page.goto(site + "/map/")
    page.emulate_media(media="print")
    expect(page.locator("svg.map-svg")).to_be_visible()
    expect(page.locator(".map-controls")).to_be_hidden()
    expect(page.locator(".places-table")).to_be_visible()
    page.goto(site + "/timeline/")
    expect(page.locator(".search-facets")).to_be_hidden()
    expect(page.locator(".timeline-name").first).to_be_visible()
    page.goto(site + "/people/abbas-basir/")
    expect(page.locator(".their-words")).to_be_visible()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.pdf(path=str(SCREENSHOTS / "glance-map-timeline-person.pdf"))
