"""The editor's desk on the admin's first page: what needs an editor's attention, in a
constant number of queries, and only what each editor may see."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Entity, GazetteerChange, RefusedEdit
from tests.support.admin_forms import changeform_data, user_in
from tests.support.factories import make_article, make_entity
from tests.support.gazetteer_growth import import_articles

pytestmark = pytest.mark.django_db


def desk_of(client):
    html = client.get(reverse("admin:index")).text
    return html[html.index('id="desk-heading"') : html.index('id="content-main"')]


def aged(article: Article, days: int) -> Article:
    Article.objects.filter(pk=article.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=days)
    )
    return article


def test_the_desk_lists_drafts_by_age_and_scheduled_articles_with_their_times(editor_client):
    aged(make_article(title="A fresh draft", status="draft", published_at=None), 2)
    aged(make_article(title="A forgotten draft", status="draft", published_at=None), 400)
    make_article(title="Tomorrow's story", days_ago=-1)
    desk = desk_of(editor_client)
    assert "Drafts (2)" in desk
    assert "less than a week: 1 · one to four weeks: 0 · one to six months: 0 · older: 1" in desk
    assert desk.index("A forgotten draft") < desk.index("A fresh draft")
    scheduled = desk[desk.index('id="desk-scheduled"') :]
    assert "Tomorrow&#x27;s story" in scheduled and "goes public <time datetime=" in scheduled


def test_the_desk_shows_the_latest_imports_with_their_reports(seeded, editor_client, tmp_path):
    import_articles(tmp_path / "articles")
    desk = desk_of(editor_client)
    assert "Latest imports" in desk
    assert "by the command line: 6 file(s) read. Articles: 6 created" in desk


def test_the_desk_shows_refused_edits(seeded, editor_client):
    url = reverse("admin:articles_article_change", args=[seeded.pk])
    data = changeform_data(editor_client.get(url))
    Article.objects.filter(pk=seeded.pk).update(version=seeded.version + 1)
    response = editor_client.post(url, data)
    assert "Someone else saved this article" in response.text
    refused = RefusedEdit.objects.get()
    assert (refused.action, refused.user.username) == ("save", "editors")
    assert (refused.opened_version, refused.version) == (seeded.version, seeded.version + 1)
    desk = desk_of(editor_client)
    assert f'editors’s save of <a href="{url}">' in desk


def test_the_desk_shows_the_names_to_add_and_entities_to_complete(seeded, editor_client, tmp_path):
    import_articles(tmp_path / "articles")
    make_entity(Entity.Kind.PLACE, "Nowhere Town", slug="nowhere")
    desk = desk_of(editor_client)
    names = desk[desk.index('id="desk-names"') :]
    assert 'Rawalpindi <span class="desk-quiet">in 3 articles (Dawn, The Express Tribune)' in (
        names
    )
    entities = desk[desk.index('id="desk-entities"') :]
    assert "Without a description (1)" in entities and "Nowhere Town" in entities
    assert "Places without coordinates (1)" in entities
    assert "gazetteer change" in entities  # the seeds' and Nowhere Town's, not re-tagged here


def test_the_desk_costs_the_same_queries_whatever_the_archive_holds(
    seeded, editor_client, tmp_path, django_assert_max_num_queries
):
    editor_client.get(reverse("admin:index"))
    with django_assert_max_num_queries(16) as captured:
        editor_client.get(reverse("admin:index"))
    before = len(captured)
    import_articles(tmp_path / "articles")
    for number in range(20):
        make_article(title=f"Draft {number}", status="draft", published_at=None)
        make_entity(Entity.Kind.PLACE, f"Place {number}")
    GazetteerChange.objects.all().delete()
    with django_assert_max_num_queries(before):
        editor_client.get(reverse("admin:index"))


def test_a_contributor_sees_only_the_articles_part_of_the_desk(seeded, client):
    client.force_login(user_in("Contributors"))
    desk = desk_of(client)
    assert 'id="desk-drafts"' in desk and 'id="desk-scheduled"' in desk
    for part in ("desk-imports", "desk-refused", "desk-names"):
        assert f'id="{part}"' not in desk
