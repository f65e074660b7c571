"""Article bodies render in bounded time and depth. A family of pathological Markdown
(tests/support/markdown_family.py) and a seeded random family are rendered in a separate process
under a hang guard: each body is either refused with a reason and shown as plain
paragraphs, or rendered without the Markdown library failing. The article page, the feed
and the admin preview answer 200 or a clear error for such bodies, and the admin's form
and the importer refuse them with the reason, whoever writes them."""

import html
import json
import logging
import random
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from articles.models import Article
from articles.text import markdown as rendering
from articles.text.markdown import plain_paragraphs, render_markdown
from articles.text.markdown_cost import MAX_NESTING, markdown_hazard
from tests.support.admin_forms import new_article_form, user_in
from tests.support.factories import database_snapshot, make_article
from tests.support.markdown_family import (
    AT_THE_LIMITS,
    ISSUE_EXAMPLES,
    normal_article,
    pathological_bodies,
)

ROOT = Path(__file__).resolve().parents[2]
BODY_LENGTH = 20_000
# Far above what any body takes (a dense 20,000-character table, the slowest accepted,
# takes a fifth of a second), far below the minutes the issue's bodies took.
HANG_GUARD_SECONDS = 5
PREVIEW_URL = "/admin/articles/article/preview/"
ADD_URL = "/admin/articles/article/add/"

# Random bodies: a head, a repeated middle and, for some, a tail repeated as often (to
# nest), made of the tokens that open or close Markdown's constructs.
TOKENS = [
    "[", "]", "(", ")", "](", "![", "*", "**", "_", "`", "<", "<a ", "<b>", ">", "&amp;",
    "\\", "{", "}", "|", "#", "> ", "- ", "* ", "1. ", ": ", "    ", "\t", "\n", "\n\n",
    "---", "===", "[^1]", "[^1]: ", "*[A]: ", "A", "x", "word ", '"', "'", "<!--", "-->",
    "<div>", "</div>", '<div markdown="1">', "```", "[TOC]", "# ", "&#", "<http://",
    "[r]: ", "[r]", "<![CDATA[", "\u3000", "\r",
]  # fmt: skip


def random_bodies(count: int, seed: int = 16) -> dict[str, str]:
    rng = random.Random(seed)  # noqa: S311 (test data, not secrets)
    bodies = {}
    for number in range(count):
        head, middle, tail = ("".join(rng.choices(TOKENS, k=rng.randint(0, 6))) for _ in "abc")
        middle = middle or "x"
        repeats = rng.choice([50, 500, 3000]) // len(middle) + 1
        bodies[f"random {number}: {head + middle + tail!r}"[:80]] = (
            head + middle * repeats + (tail * repeats if number % 2 else tail)
        )
    return bodies


PROBED = (
    pathological_bodies(BODY_LENGTH)
    | AT_THE_LIMITS
    | {"a normal article": normal_article(BODY_LENGTH)}
    | random_bodies(150)
)


@pytest.fixture(scope="module")
def probed() -> dict[str, dict]:
    """Every body rendered by tests/support/render_probe.py, in a process of its own."""
    finished = subprocess.run(
        [sys.executable, "-m", "tests.support.render_probe"],
        input=json.dumps(PROBED),
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=HANG_GUARD_SECONDS * 20,
        check=True,
    )
    return {result["name"]: result for result in map(json.loads, finished.stdout.splitlines())}


@pytest.mark.parametrize("name", list(PROBED))
def test_every_body_renders_within_the_hang_guard_without_markdown_failing(probed, name):
    result = probed[name]
    assert result["error"] is None, f"the renderer accepted a body Markdown fails on: {result}"
    assert result["seconds"] < HANG_GUARD_SECONDS
    if result["refused"]:
        assert result["html"] == plain_paragraphs(PROBED[name])


@pytest.mark.parametrize("name", list(ISSUE_EXAMPLES))
def test_the_issue_bodies_are_refused_with_a_reason(probed, name):
    assert probed[name]["refused"]


@pytest.mark.parametrize("name", [*AT_THE_LIMITS, "a normal article"])
def test_bodies_within_the_limits_render_as_markdown(probed, name):
    assert probed[name]["refused"] is None


def test_every_nesting_at_its_limit_renders_as_markdown_within_a_page(client, db, caplog):
    """The renderer runs deep inside a request's stack: all the nestings at their limits
    at once, in one body, still leave it room."""
    nested_list = "\n".join("    " * level + "- x" for level in range(MAX_NESTING))
    body = (
        '<div markdown="1">\n' * 50
        + "\n"
        + "a\n: b\n" * MAX_NESTING
        + "\n"
        + nested_list
        + " "
        + "*" * 100
        + "a"
        + "*" * 100
        + " "
        + "[" * MAX_NESTING
        + "a"
        + "](b)" * MAX_NESTING
        + "\n\n"
        + "</div>\n" * 50
    )
    assert markdown_hazard(body) is None
    article = make_article(body=body)
    with caplog.at_level(logging.WARNING, logger="articles.text.markdown"):
        response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert not caplog.records, "rendered as plain text"
    assert response.text.count("<ul>") >= MAX_NESTING and '<a href="b"' in response.text


STORED_ANYWAY = ISSUE_EXAMPLES | {
    "lists opened on one line": "* " * 2_000 + "x",
    "html elements nested": "<ul><li>" * 3_000,
    "an emphasis run": "*" * 3_000 + "a" + "*" * 3_000,
}


@pytest.mark.parametrize("name", list(STORED_ANYWAY))
def test_a_body_stored_anyway_is_shown_as_plain_text_on_its_page_and_in_the_feed(
    client, db, caplog, name
):
    """Written by SQL, or before bodies were checked: the page, the feed and a search that
    finds it answer 200, with the body as escaped paragraphs, and a warning is logged."""
    body = STORED_ANYWAY[name]
    article = make_article(title="Stored anyway", body=body)
    with caplog.at_level(logging.WARNING, logger="articles.text.markdown"):
        page = client.get(article.get_absolute_url())
        feed = client.get("/feed/")
    assert page.status_code == 200 and feed.status_code == 200
    assert html.escape(body)[:1_000] in page.text
    assert "Stored anyway" in feed.text
    assert "shown as plain text" in caplog.text


def test_a_failure_of_the_markdown_library_shows_the_body_as_plain_text(monkeypatch, caplog):
    """Whatever the library raises on a body the limits let through, the reader gets the
    text rather than a 500."""

    def fail(*args, **kwargs):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(rendering.markdown, "markdown", fail)
    rendering.memo.clear()
    with caplog.at_level(logging.WARNING, logger="articles.text.markdown"):
        assert render_markdown("Some *text* & more.") == "<p>Some *text* &amp; more.</p>"
    assert "Markdown failed on a body" in caplog.text
    rendering.memo.clear()


@pytest.fixture
def contributor_client(db):
    client = Client()
    client.force_login(user_in("Contributors"))
    return client


@pytest.mark.parametrize("name", list(STORED_ANYWAY))
def test_the_preview_answers_a_clear_error_for_a_body_it_cannot_render(contributor_client, name):
    response = contributor_client.post(PREVIEW_URL, {"title": "T", "body": STORED_ANYWAY[name]})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error.startswith("The body ") and error.endswith(".")


def test_the_preview_renders_a_long_normal_body(contributor_client):
    response = contributor_client.post(PREVIEW_URL, {"title": "T", "body": normal_article(50_000)})
    assert response.status_code == 200
    assert "<strong>Doha</strong>" in response.json()["html"]


@pytest.mark.parametrize("name", list(STORED_ANYWAY))
def test_the_admin_form_refuses_a_body_it_cannot_render(contributor_client, name):
    before = database_snapshot()
    response = contributor_client.post(
        ADD_URL, new_article_form(status="draft", body=STORED_ANYWAY[name])
    )
    assert response.status_code == 200
    assert "The body " in response.text and "errorlist" in response.text
    assert database_snapshot() == before


def test_the_admin_form_accepts_a_long_normal_body(contributor_client):
    body = normal_article(50_000)
    response = contributor_client.post(ADD_URL, new_article_form(status="draft", body=body))
    assert response.status_code == 302
    assert Article.objects.get(slug="torkham-reopens").body == body


@pytest.mark.parametrize("name", list(STORED_ANYWAY))
def test_the_importer_refuses_a_body_it_cannot_render_naming_the_file(tmp_path, db, capsys, name):
    (tmp_path / "good.md").write_text("---\ntitle: Good\n---\nFine.\n")
    bad = tmp_path / "bad.md"
    bad.write_text(f"---\ntitle: Bad\n---\n{STORED_ANYWAY[name]}\n")
    before = database_snapshot()
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("import_articles", str(tmp_path), verbosity=0)
    assert f"{bad}: the body " in capsys.readouterr().err
    assert database_snapshot() == before
