"""The interface in English, Pashto, Dari and Urdu: the address chooses the language, the
page says which (lang, dir, hreflang) and offers the others, its words, numbers and dates
are the language's own, and the page cache keeps each language apart."""

import datetime
import re

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import translation

from articles import numerals
from articles.dates import DatePrecision, format_range, format_with_precision
from articles.models import Article
from articles.reader.caching import public_page
from tests.support.factories import make_article

pytestmark = pytest.mark.django_db

LANGUAGES = {
    "": ("en-gb", "ltr"),
    "/ps": ("ps", "rtl"),
    "/fa-af": ("fa-af", "rtl"),
    "/ur": ("ur", "rtl"),
}
NOV_30 = datetime.date(2025, 11, 30)


def html_tag(html: str) -> str:
    return re.search(r"<html[^>]*>", html).group(0)


@pytest.mark.parametrize(("prefix", "expected"), LANGUAGES.items())
def test_each_address_sets_the_pages_language_and_direction(client, prefix, expected):
    language, direction = expected
    response = client.get(f"{prefix}/")
    assert response.status_code == 200
    assert html_tag(response.text) == f'<html lang="{language}" dir="{direction}">'
    assert response["Content-Language"] == language


def test_the_address_alone_chooses_whatever_the_browser_asks(client):
    response = client.get("/", headers={"Accept-Language": "ur, ps;q=0.8"})
    assert html_tag(response.text) == '<html lang="en-gb" dir="ltr">'
    assert "Latest articles" in response.text
    # So nothing varies by the header, and shared caches may keep one copy of the page.
    assert "Vary" not in response


def test_the_switcher_links_the_same_page_in_every_language(client):
    make_article(title="Khost talks", body="Khost")
    html = client.get("/fa-af/search/?q=Khost&ignored=1").text
    switcher = html.split('<nav class="languages"')[1].split("</nav>")[0]
    links = re.findall(
        r'<a href="([^"]+)" lang="([^"]+)"[^>]*?( aria-current="true")?>([^<]+)<', switcher
    )
    assert links == [
        ("/search/?q=Khost", "en-gb", "", "English"),
        ("/ps/search/?q=Khost", "ps", "", "پښتو"),
        ("/fa-af/search/?q=Khost", "fa-af", ' aria-current="true"', "دری"),
        ("/ur/search/?q=Khost", "ur", "", "اردو"),
    ]
    alternates = re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)"', html)
    assert alternates == [
        ("en-gb", "http://testserver/search/?q=Khost"),
        ("x-default", "http://testserver/search/?q=Khost"),
        ("ps", "http://testserver/ps/search/?q=Khost"),
        ("fa-af", "http://testserver/fa-af/search/?q=Khost"),
        ("ur", "http://testserver/ur/search/?q=Khost"),
    ]


def test_links_stay_in_the_readers_language(client):
    article = make_article(title="Torkham reopens")
    html = client.get("/ur/").text
    assert f'href="/ur/articles/{article.slug}/"' in html
    assert 'href="/ur/people/"' in html and 'action="/ur/search/"' in html
    # And the English page, after it, links the English addresses (resolved per language).
    assert f'href="/articles/{article.slug}/"' in client.get("/").text


def test_pages_speak_the_readers_language(client):
    make_article(
        title="Talks",
        published_at=datetime.datetime(2025, 11, 25, tzinfo=datetime.UTC),
        date_precision="late_month",
    )
    assert "تازہ ترین مضامین" in client.get("/ur/").text
    assert "آخرین مقاله‌ها" in client.get("/fa-af/").text
    pashto = client.get("/ps/").text
    assert "وروستۍ مقالې" in pashto and "د نومبر ۲۰۲۵ په وروستیو کې" in pashto
    assert "Latest articles" not in pashto
    assert "اواخر نومبر ۲۰۲۵" in client.get("/fa-af/").text
    assert "نومبر 2025 کے اواخر" in client.get("/ur/").text


def test_error_pages_speak_the_readers_language(client):
    response = client.get("/ps/no-such-page/")
    assert response.status_code == 404
    assert "پاڼه ونه موندل شوه" in response.text
    assert html_tag(response.text) == '<html lang="ps" dir="rtl">'


def test_a_refused_request_is_explained_in_the_readers_language(client):
    response = client.get("/ur/search/", {"q": "a\x00b"})
    assert response.status_code == 400
    assert "پیرامیٹر «q»" in response.text and "NUL" in response.text


def test_counts_and_page_numbers_are_written_in_the_languages_digits(client):
    for number in range(21):
        make_article(
            title=f"Taliban statement {number}", body="The Taliban said.", days_ago=number + 1
        )
    pashto = client.get("/ps/search/?q=Taliban").text
    assert "۲۱ مقالې" in pashto and "پاڼه ۱ له ۲" in pashto
    # Onwards is to the left in a right-to-left page: the arrow points there.
    assert '<span aria-hidden="true">‹</span></a>' in pashto.split('rel="next"')[1]
    urdu = client.get("/ur/search/?q=Taliban").text
    assert "21 مضامین" in urdu and "صفحہ 1 از 2" in urdu
    english = client.get("/search/?q=Taliban").text
    assert "21 articles" in english and 'Next <span aria-hidden="true">›</span>' in english


@pytest.mark.parametrize(
    ("language", "precision", "expected"),
    [
        ("en-gb", DatePrecision.LATE_MONTH, "late November 2025"),
        ("en-gb", DatePrecision.MID_MONTH, "mid-November 2025"),
        ("ps", DatePrecision.DAY, "۳۰ نومبر ۲۰۲۵"),
        ("ps", DatePrecision.EARLY_MONTH, "د نومبر ۲۰۲۵ په لومړیو کې"),
        ("ps", DatePrecision.YEAR, "۲۰۲۵"),
        ("fa-af", DatePrecision.LATE_MONTH, "اواخر نومبر ۲۰۲۵"),
        ("fa-af", DatePrecision.MID_MONTH, "اواسط نومبر ۲۰۲۵"),
        ("fa-af", DatePrecision.MONTH, "نومبر ۲۰۲۵"),
        ("ur", DatePrecision.LATE_MONTH, "نومبر 2025 کے اواخر"),
        ("ur", DatePrecision.DAY, "30 نومبر 2025"),
    ],
)
def test_dates_are_written_with_their_precision_in_each_language(language, precision, expected):
    with translation.override(language):
        assert format_with_precision(NOV_30, precision) == expected


def test_a_period_is_written_in_each_language():
    start, end = datetime.date(2025, 10, 11), datetime.date(2025, 11, 1)
    with translation.override("fa-af"):
        assert format_range(start, "day", end, "month") == "از ۱۱ اکتوبر تا نومبر ۲۰۲۵"
    with translation.override("ur"):
        assert format_range(start, "day", end, "month") == "11 اکتوبر تا نومبر 2025"
    assert format_range(start, "day", end, "month") == "11 October – November 2025"


def test_numbers_are_grouped_and_written_as_each_language_writes_them():
    with translation.override("ps"):
        assert numerals.number(12345) == "۱۲٬۳۴۵"
        assert numerals.decimal(34.55531, 4) == "۳۴٫۵۵۵۳"
    with translation.override("fa-af"):
        assert numerals.number(2001) == "۲٬۰۰۱"
    with translation.override("ur"):
        assert numerals.number(12345) == "12,345"
    assert numerals.number(12345) == "12,345"


def test_the_api_and_the_sitemaps_stay_english_and_unprefixed(client):
    make_article(title="Talks")
    assert client.get("/ps/api/v1/articles").status_code == 404
    response = client.get("/api/v1/articles", headers={"Accept-Language": "ps"})
    assert response.status_code == 200 and response["Content-Language"] == "en-gb"
    sitemap = client.get("/sitemap-articles.xml").text
    assert "/articles/" in sitemap and "/ps/" not in sitemap


def test_feeds_are_titled_in_the_readers_language(client):
    make_article(title="Talks")
    feed = client.get("/fa-af/feed/").text
    assert "<title>آرشیف خبری: آخرین مقاله‌ها</title>" in feed
    assert 'xml:lang="fa-af"' in feed


def test_the_page_cache_keeps_each_language_apart(rf: RequestFactory):
    """Whatever chose the language, a page cached in one is never served in another."""
    page = public_page(lambda request: HttpResponse(translation.get_language()))
    for language in ("ps", "ur", "ps"):
        with translation.override(language):
            assert page(rf.get("/same/address/")).content.decode() == language


@pytest.mark.parametrize("prefix", ["", "/ps", "/ur"])
def test_pages_in_every_language_run_a_constant_number_of_queries(
    client, django_assert_max_num_queries, prefix
):
    article = make_article(title="Talks")
    # A search that finds almost nothing asks for names like its words too: one query more
    # (tests/search/test_search.py, QUERY_BUDGET).
    budgets = {"/": 6, f"/articles/{article.slug}/": 6, "/search/?q=Talks": 7, "/timeline/": 6}
    for path, budget in budgets.items():
        with django_assert_max_num_queries(budget):
            assert client.get(prefix + path).status_code == 200
    assert Article.objects.count() == 1


def test_search_links_stay_in_each_pages_language(client):
    """The search's own links (orders, facets, filters) are resolved per language too."""
    make_article(title="Khost talks", body="Khost")
    assert 'href="/ps/search/?q=Khost' in client.get("/ps/search/?q=Khost").text
    english = client.get("/search/?q=Khost").text
    assert 'href="/search/?q=Khost' in english and "/ps/search/" not in english.split("<main")[1]
