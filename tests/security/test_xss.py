"""Cross-site scripting: the payload corpus (tests/support/xss/payloads.txt) pushed through the
renderer, the importer and the admin, and every page, JSON answer and admin screen that
shows it checked for markup that could run script. tests/browser/test_xss.py loads the same
pages in Chromium."""

import re
import time

import markdown
import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.importing.writer import Importer, ImportFailed
from articles.models import Article, Entity
from articles.text.markdown import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, render_markdown
from tests.support.xss.archive import build_hostile_archive, hostile_upload, remove_hostile_archive
from tests.support.xss.bounds import bound_statements
from tests.support.xss.corpus import chunks, payloads
from tests.support.xss.inspection import dangerous_markup, elements, texts_of, url_scheme

CATEGORIES = {
    "script tags": r"<script",
    "event handlers": r"\bon[a-z]+\s*=",
    "javascript: URLs": r"javascript",
    "data: URLs": r"data:",
    "SVG": r"<svg",
    "malformed tags": r"<<|<!--|<!\[CDATA\[|<\?xml",
    "Markdown links and images": r"!?\[[^\]]*\]\(",
    "encoded variants": r"&#x?[0-9a-f]+;?|%3c|\\u00|\\x3c|＜|\+ADw-",
}
MARKDOWN_CONTEXTS = [
    "{}",
    "Before {} after.",
    "# {}",
    "> {}",
    "- {}",
    "1. {}",
    "*{}*",
    "[{}](https://example.org/)",
    "[link]({})",
    "![{}](x.png)",
    "![image]({})",
    "<div>{}</div>",
    "<p title='{}'>x</p>",
    "| a |\n|---|\n| {} |",
    "    {}",
    "Term\n: {}",
    "Note[^1]\n\n[^1]: {}",
]
# nh3 (ammonia) allows these on every element by default; their values are escaped.
GENERIC_ATTRIBUTES = {"lang", "title"}


def markup_outside_the_renderers_allowance(html: str) -> list[str]:
    """Tags or attributes in rendered Markdown that the renderer does not allow."""
    problems = []
    for tag, attributes in elements(html):
        if tag not in ALLOWED_TAGS:
            problems.append(f"<{tag}>")
        allowed = ALLOWED_ATTRIBUTES.get(tag, set()) | GENERIC_ATTRIBUTES
        allowed |= {"rel"} if tag == "a" else set()
        problems += [f"{name} on <{tag}>" for name in attributes if name not in allowed]
    return problems


# The corpus and the renderer


def test_the_corpus_holds_over_a_hundred_distinct_payloads_of_every_kind():
    corpus = payloads()
    assert len(corpus) >= 100
    assert len(set(corpus)) == len(corpus), "a payload is listed twice"
    for category, pattern in CATEGORIES.items():
        found = [p for p in corpus if re.search(pattern, p, re.IGNORECASE)]
        assert len(found) >= 5, f"too few payloads of the kind {category!r}"
    assert max(map(len, corpus)) <= 200, "a payload must fit an entity name or alias"
    print(f"\n{len(corpus)} payloads in tests/support/xss/payloads.txt")


def test_the_inspection_sees_the_payloads_when_nothing_sanitises_them():
    """A control for the checks below: Markdown rendered without nh3 is caught."""
    caught = [p for p in payloads() if dangerous_markup(markdown.markdown(p))]
    assert len(caught) >= 0.6 * len(payloads()), len(caught)


def test_the_renderer_leaves_no_payload_able_to_run_in_any_markdown_context():
    """Each payload alone, then all of them at once in each context (where one payload's
    unclosed syntax also meets the next)."""
    problems = {}
    documents = {payload: payload for payload in payloads()}
    for context in MARKDOWN_CONTEXTS:
        documents[context] = "\n\n".join(context.format(payload) for payload in payloads())
    for name, source in documents.items():
        html = render_markdown(source)
        found = dangerous_markup(html) + markup_outside_the_renderers_allowance(html)
        if found:
            problems[name] = found
    assert not problems, problems


fragments = st.sampled_from(payloads()) | st.sampled_from(
    ["<", ">", '"', "'", "`", "[", "](", ")", "![", "\n", "\n\n", "\t", "&#", ";", "&Tab;",
     "javascript:", "data:", "on", "=", "<a href=", "<img src=", "*", "#", "> ", "- ", "    ",
     "{: ", "}", "<!--", "-->", "]]>", "\\"]
) | st.text(max_size=8)  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(st.lists(fragments, max_size=12).map("".join))
def test_the_renderer_holds_against_generated_mixtures_of_payloads(source):
    html = render_markdown(source)
    assert dangerous_markup(html) == []
    assert markup_outside_the_renderers_allowance(html) == []


# The hostile archive: built once for this module, removed afterwards.


@pytest.fixture(scope="module")
def hostile(django_db_setup, django_db_blocker, tmp_path_factory):
    with django_db_blocker.unblock():
        archive = build_hostile_archive(tmp_path_factory.mktemp("hostile"))
        lift_bound = bound_statements()
    yield archive
    with django_db_blocker.unblock():
        lift_bound()
        remove_hostile_archive(archive)


@pytest.fixture
def editor_client(hostile, db):
    client = Client()
    client.force_login(hostile.editor)
    return client


def fetch(client: Client, url: str, method: str = "get", **data):
    """The response to ``url``, with whatever the request wrote (or a cancelled statement)
    rolled back, so that one page cannot spoil the next."""
    savepoint = transaction.savepoint_create()
    try:
        return getattr(client, method)(url, data) if data else getattr(client, method)(url)
    finally:
        transaction.savepoint_rollback(savepoint)


def check_pages(client: Client, urls: list[str], *, admin: bool = False):
    """Every problem on every page, by URL (a page must also answer 200), and the pages."""
    problems, pages = {}, {}
    for url in urls:
        response = fetch(client, url)
        found = [] if response.status_code == 200 else [f"status {response.status_code}"]
        if response.has_header("Content-Disposition"):
            found += download_problems(response)
        elif response["Content-Type"].startswith("application/json"):
            found += json_problems(response)
        else:
            pages[url] = response.text
            found += dangerous_markup(response.text, admin=admin)
        if found:
            problems[url] = found
    return problems, pages


SITE = "http://testserver/"


def json_problems(response) -> list[str]:
    """JSON is data: served as JSON and never sniffed as HTML; URLs in it are on this site
    (paths, or the API's absolute addresses of this site)."""
    problems = []
    if response.headers.get("X-Content-Type-Options") != "nosniff":
        problems.append("JSON without X-Content-Type-Options: nosniff")
    data = response.json()
    items = data.get("results", []) + data.get("items", []) if isinstance(data, dict) else []
    for item in items:
        url = str(item.get("url", "")) if isinstance(item, dict) else ""
        if url.startswith(SITE):
            url = url.removeprefix(SITE[:-1])
        if url_scheme(url) is not None or url.startswith("//"):
            problems.append(f"URL {url!r} is not on this site")
    return problems


def download_problems(response) -> list[str]:
    """Exports and citations hold the text as it is (CSV, JSON Lines, BibTeX, RIS): they
    are files to save, never shown or sniffed as a page."""
    problems = []
    if not response["Content-Disposition"].startswith("attachment;"):
        problems.append("a download not sent as an attachment")
    if response.headers.get("X-Content-Type-Options") != "nosniff":
        problems.append("a download without X-Content-Type-Options: nosniff")
    if "html" in response["Content-Type"] or "xml" in response["Content-Type"]:
        problems.append(f"a download served as {response['Content-Type']}")
    if response.streaming:
        b"".join(response.streaming_content)  # made whole, as a reader downloads it
    return problems


@pytest.mark.django_db
def test_every_public_page_shows_the_hostile_archive_as_text(client, hostile):
    started = time.monotonic()
    urls = hostile.public_urls()
    problems, pages = check_pages(client, urls)
    assert not problems, problems
    # Escaped, not stripped: a reader sees the hostile text itself.
    for article in hostile.articles:
        page = pages[article.get_absolute_url()]
        assert texts_of(page, "h1") == [" ".join(article.title.split())]
        assert " ".join(article.standfirst.split()) in texts_of(page, "p")
    for entity in hostile.entities:
        page = pages[entity.get_absolute_url()]
        assert texts_of(page, "h1") == [" ".join(entity.name.split())]
        aliases = texts_of(page, "bdi")
        assert all(" ".join(a.name.split()) in aliases for a in entity.aliases.all())
    print(f"\n{len(urls)} public pages and answers clean in {time.monotonic() - started:.1f} s")


@pytest.mark.django_db
def test_drafts_and_scheduled_hostile_articles_stay_hidden(client, hostile):
    assert {a.status for a in hostile.hidden} == {"draft", "published"}
    for article in hostile.hidden:
        assert fetch(client, article.get_absolute_url()).status_code == 404


def test_every_admin_page_shows_the_hostile_archive_as_text(editor_client, hostile):
    started = time.monotonic()
    urls = hostile.admin_urls()
    problems, _ = check_pages(editor_client, urls, admin=True)
    assert not problems, problems
    print(f"\n{len(urls)} admin pages clean in {time.monotonic() - started:.1f} s")


def test_the_admin_merge_and_import_screens_show_hostile_names_as_text(editor_client, hostile):
    people = [e for e in hostile.entities if e.kind == "person"][:3]
    merge = fetch(
        editor_client,
        reverse("admin:articles_entity_changelist"),
        "post",
        action="merge",
        _selected_action=[e.pk for e in people],
    )
    assert merge.status_code == 200 and "Keep this one" in merge.text
    assert dangerous_markup(merge.text, admin=True) == []

    url, payload = reverse("admin:articles_import"), payloads()[0]
    bad = hostile_upload(f"{payload}.md", f"---\ntitle: x\ntags: ['{payload}']\n---\nBody.\n")
    refused = fetch(editor_client, url, "post", files=[bad])
    assert refused.status_code == 200 and "Nothing was imported" in refused.text
    assert dangerous_markup(refused.text, admin=True) == []

    good = hostile_upload('"><svg onload=alert(1)>.md', f"---\ntitle: '{payload}'\n---\nx\n")
    dry_run = fetch(editor_client, url, "post", files=[good], dry_run="on")
    assert dry_run.status_code == 200 and "Dry run" in dry_run.text
    assert dangerous_markup(dry_run.text, admin=True) == []


def test_the_admin_preview_returns_sanitised_html(editor_client, hostile):
    url = reverse("admin:articles_preview")
    for group in chunks(payloads(), 6):
        body = "\n\n".join(group)
        response = fetch(editor_client, url, "post", title=" ".join(group), body=body)
        assert response.status_code == 200
        html = response.json()["html"]
        assert dangerous_markup(html) == []
        assert markup_outside_the_renderers_allowance(html) == []


@pytest.mark.django_db
def test_suggestions_carry_hostile_names_as_plain_data(client, hostile):
    response = fetch(client, reverse("articles:search_suggest") + "?q=script")
    assert response["Content-Type"] == "application/json"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    results = response.json()["results"]
    names = set(Entity.objects.values_list("name", flat=True))
    assert results and {r["name"] for r in results} <= names  # exactly as stored
    assert json_problems(response) == []


def test_script_urls_are_refused_as_article_sources(editor_client, hostile, tmp_path):
    data = {"title": "x", "slug": "x", "body": "x", "status": "draft", "date_precision": "day",
            "language": "en", "source_url": "javascript:alert(1)"}  # fmt: skip
    add = fetch(editor_client, reverse("admin:articles_article_add"), "post", **data)
    assert add.status_code == 200 and "source_url" in add.context["adminform"].form.errors
    for url in ["javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "//evil"]:
        (tmp_path / "bad.md").write_text(f"---\ntitle: x\nsource_url: '{url}'\n---\nBody.\n")
        with pytest.raises(ImportFailed, match="source_url"):
            Importer().run([tmp_path / "bad.md"])
    assert not Article.objects.filter(slug="x").exists()


@pytest.mark.django_db
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(query=st.sampled_from(payloads()) | st.text(max_size=40))
def test_search_shows_any_query_back_as_text(client, hostile, query):
    response = fetch(client, reverse("articles:search") + "?" + _query("q", query))
    # A NUL byte is refused on every page (newsarchive/middleware.py), by a page as safe.
    assert response.status_code == (400 if "\x00" in query else 200)
    assert dangerous_markup(response.text) == []


def _query(name: str, value: str) -> str:
    from urllib.parse import quote

    return f"{name}={quote(value.encode('utf-8', 'surrogatepass'))}"
