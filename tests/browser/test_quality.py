"""Every public page type: no accessibility violations (axe-core, light and dark) and valid
HTML (the W3C Nu HTML Checker)."""

import json

import pytest

from articles.models import Article
from tests.browser.conftest import axe_violations, html_checker_messages

pytestmark = pytest.mark.django_db(transaction=True)


# Swagger UI's own markup fails axe (buttons nested in its operation headers, its colours):
# the page is checked for valid HTML, not for accessibility, until Swagger UI mends them.
API_DOCS = "/api/v1/docs/"


def public_pages() -> dict[str, str]:
    return {
        "home": "/",
        "article": Article.objects.get().get_absolute_url(),
        "person": "/people/faiz-hameed/",
        "place": "/places/khost/",
        "event": "/events/doha-ceasefire-2025/",
        "organisation": "/organisations/tehrik-i-taliban-pakistan/",
        "people": "/people/",
        "places": "/places/",
        "events": "/events/",
        "organisations": "/organisations/",
        "search": "/search/?q=Taliban",
        "search by person": "/search/?q=Faiz+Hamid&place=kabul",
        "search misspelt": "/search/?q=Jalalbad",
        "search empty": "/search/",
        "not found": "/no-such-page/",
        "timeline": "/timeline/",
        "timeline filtered": "/timeline/?organisation=taliban&year=2025&place=kabul",
        "map": "/map/",
        "person quoted": "/people/abbas-basir/",
        "place beyond the region": "/places/doha/",
        "API documentation": API_DOCS,
    }


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_accessibility_violations_on_any_public_page(site, page, scheme):
    page.emulate_media(color_scheme=scheme)
    found = {}
    for name, path in public_pages().items():
        if path == API_DOCS:
            continue
        page.goto(site + path)
        if violations := axe_violations(page):
            found[name] = violations
    assert not found, json.dumps(found, indent=2)


def test_every_public_page_is_valid_html(site, page, tmp_path):
    files = []
    for name, path in public_pages().items():
        file = tmp_path / f"{name.replace(' ', '-')}.html"
        file.write_text(page.request.get(site + path).text())
        files.append(file)
    messages = html_checker_messages(files)
    assert not messages, json.dumps(messages, indent=2, ensure_ascii=False)
