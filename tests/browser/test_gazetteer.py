"""The gazetteer grows and the archive follows, in a real browser: an editor's desk, the
names-to-add queue and the article form's tags, each free of accessibility violations and
run under the strict Content Security Policy."""

import json
import re

import pytest
from playwright.sync_api import expect

from articles.models import Alias, Article, Mention, RemovedTag
from tests.browser.conftest import DESKTOP, axe_violations, screenshot
from tests.support.admin_forms import user_in
from tests.support.gazetteer_growth import NAMING_RAWALPINDI, import_articles

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def editor_page(site, page, tmp_path):
    """The live server with the seeds and the Rawalpindi articles, and a page logged in as
    an editor, which fails the test on any Content Security Policy violation."""
    import_articles(tmp_path / "articles")
    user_in("Editors", "amina")
    blocked = []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security" in m.text else None)
    page.set_viewport_size(DESKTOP)
    page.goto(f"{site}/admin/")
    page.get_by_label("Username").fill("amina")
    page.get_by_label("Password").fill("a-long-password")
    page.get_by_role("button", name="Log in").click()
    yield page
    assert blocked == []


# The admin's links fade to their new colours when the scheme changes.
TRANSITION_MS = 400


def assert_accessible(page, name: str) -> None:
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        page.wait_for_timeout(TRANSITION_MS)
        violations = axe_violations(page)
        assert not violations, json.dumps({name: violations}, indent=2)
    screenshot(page, name)


def test_the_desk_and_the_queue_turn_a_name_into_a_place_that_tags_its_articles(editor_page, site):
    page = editor_page
    desk = page.locator("section.desk")
    expect(desk.get_by_role("heading", name="Names to add")).to_be_visible()
    expect(desk).to_contain_text("Rawalpindi in 3 articles (Dawn, The Express Tribune)")
    expect(desk).to_contain_text("Latest imports")
    assert_accessible(page, "admin-desk")
    page.get_by_role("link", name="Add or dismiss names").click()
    expect(page.get_by_role("heading", name="Names to add")).to_be_visible()
    assert_accessible(page, "admin-names-queue")
    row = page.get_by_role("row", name=re.compile(r"^Rawalpindi "))
    row.get_by_label("Kind of Rawalpindi").select_option("place")
    row.get_by_role("button", name="Add Rawalpindi").click()
    messages = page.locator(".messagelist")
    expect(messages).to_contain_text("Added place Rawalpindi to the gazetteer.")
    expect(messages).to_contain_text("Re-tagged 3 articles: 3 changed; 3 tags added (Rawalpindi 3)")
    tagged = Article.objects.filter(mentions__entity__slug="rawalpindi")
    assert set(tagged.values_list("source_file", flat=True)) == set(NAMING_RAWALPINDI)


def test_a_queued_name_becomes_an_alias_chosen_as_you_type(editor_page):
    page = editor_page
    page.goto(page.url + "articles/namecandidate/")
    row = page.get_by_role("row", name=re.compile(r"^Sher Zaman Market "))
    box = row.get_by_role("combobox", name="Another name of")
    box.fill("Khos")
    option = page.get_by_role("option", name=re.compile("^Khost Place"))
    expect(option).to_be_visible()
    box.press("ArrowDown")
    box.press("Enter")
    expect(box).to_have_value("place:khost")
    row.get_by_role("button", name="Add as alias Sher Zaman Market").click()
    expect(page.locator(".messagelist")).to_contain_text(
        "Sher Zaman Market is now another name of Khost."
    )
    assert Alias.objects.filter(entity__slug="khost", name="Sher Zaman Market").exists()


def test_tags_are_removed_and_added_in_place_on_the_article_form(editor_page):
    page = editor_page
    article = Article.objects.get(source_file="garrison.md")
    page.goto(f"{page.url}articles/article/{article.pk}/change/")
    chips = page.locator(".tag-chips")
    expect(chips.get_by_role("group", name=re.compile("^People"))).to_contain_text("Asim Munir")
    assert_accessible(page, "admin-article-tags")
    chips.get_by_role("checkbox", name=re.compile("^Asim Munir")).check()
    finder = page.get_by_role("combobox", name="Add a tag")
    finder.fill("Khos")
    expect(page.get_by_role("option", name=re.compile("^Khost Place"))).to_be_visible()
    finder.press("Enter")
    places = chips.get_by_role("group", name=re.compile("^Places"))
    expect(places).to_contain_text("Khost added when you save")
    assert_accessible(page, "admin-article-tags-edited")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    tags = dict(article.mentions.values_list("entity__slug", "origin"))
    assert "asim-munir" not in tags and tags["khost"] == "editor"
    assert RemovedTag.objects.filter(article=article, entity__slug="asim-munir").exists()
    expect(page.locator(".tag-chips")).to_contain_text("Khost")


def test_a_hundred_tags_can_be_filtered(editor_page):
    page = editor_page
    article = Article.objects.get(source_file="garrison.md")
    from tests.support.factories import make_entity

    for number in range(100):
        entity = make_entity("place" if number % 2 else "person", f"Name {number:03}")
        Mention.objects.create(article=article, entity=entity, count=1, origin="text")
    page.goto(f"{page.url}articles/article/{article.pk}/change/")
    page.get_by_label("Filter tags").fill("name 04")
    expect(page.locator(".tag-chip:visible")).to_have_count(10)
    expect(page.locator(".tag-filter-status")).to_contain_text("10 of 1")
    assert_accessible(page, "admin-article-hundred-tags")
