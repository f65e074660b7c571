"""One definition of each word the archive uses in several places: the text the tagger
reads of an article, a slug made unique, the number of articles a page shows."""

import pytest
from django.core.management import call_command
from django.test import override_settings

from articles.editorial.slugs import unique_slugs
from articles.importing.tagging import Tagger, article_text
from articles.models import Article, Entity
from articles.search.criteria import Criteria
from articles.search.results import search
from tests.support.admin_forms import changeform_data
from tests.support.factories import make_article, make_entity

pytestmark = pytest.mark.django_db


def change_url(article):
    return f"/admin/articles/article/{article.pk}/change/"


# The text the tagger reads


TITLE, STANDFIRST, BODY = "Khost market", "Traders from Chaman.", "Torkham and Torkham again."


def test_the_importer_the_preview_and_the_form_tag_the_same_text(seeded, editor_client, tmp_path):
    (tmp_path / "market.md").write_text(
        f"---\ntitle: {TITLE}\nstandfirst: {STANDFIRST}\n---\n\n{BODY}\n"
    )
    call_command("import_articles", str(tmp_path), verbosity=0)
    article = Article.objects.get(source_file="market.md")
    imported = dict(article.mentions.values_list("entity__name", "count"))
    assert imported == {"Khost": 1, "Chaman": 1, "Torkham": 2}
    assert {
        Entity.objects.get(pk=pk).name: count
        for pk, count in Tagger.from_database().count(article_text(article)).items()
    } == imported

    preview = editor_client.post(
        "/admin/articles/article/preview/",
        {"title": TITLE, "standfirst": STANDFIRST, "body": BODY},
    ).json()
    assert {found["name"]: found["count"] for found in preview["found"]} == imported

    article.mentions.all().delete()
    form = editor_client.get(change_url(article)).context["adminform"].form
    assert {
        entity.name: form.found_counts[entity.pk]
        for entity in form.fields["suggested_entities"].queryset
    } == imported


# Unique slugs


def test_articles_and_entities_take_the_number_after_the_highest_used(
    seeded, editor_client, tmp_path
):
    for slug in ("weesh-mandi", "weesh-mandi-3"):
        make_article(slug=slug)
        make_entity(Entity.Kind.PLACE, "Weesh Mandi", slug=slug)
    (tmp_path / "weesh.md").write_text("---\ntitle: Weesh Mandi\n---\n\nText.\n")
    call_command("import_articles", str(tmp_path), verbosity=0)
    assert Article.objects.get(source_file="weesh.md").slug == "weesh-mandi-4"

    Article.objects.filter(pk=seeded.pk).update(body="Weesh Bazaar traders. Weesh Bazaar.")
    Entity.objects.create(kind=Entity.Kind.PLACE, name="Other", slug="weesh-bazaar")
    Entity.objects.create(kind=Entity.Kind.PLACE, name="Other", slug="weesh-bazaar-3")
    data = changeform_data(editor_client.get(change_url(seeded)))
    data["new_entities"] = ["place:Weesh Bazaar"]
    assert editor_client.post(change_url(seeded), data).status_code == 302
    assert Entity.objects.get(name="Weesh Bazaar").slug == "weesh-bazaar-4"


def test_entity_slugs_are_unique_per_kind():
    make_entity(Entity.Kind.PLACE, "Khost", slug="khost")
    make_entity(Entity.Kind.PLACE, "Khost", slug="khost-2")
    assert unique_slugs(Entity, ["Khost"], fallback="person", scope={"kind": "person"}) == ["khost"]
    assert unique_slugs(Entity, ["Khost"], fallback="place", scope={"kind": "place"}) == ["khost-3"]


def test_slugs_are_unique_within_a_batch_and_the_reserved_ones():
    make_article(slug="talks")
    slugs = unique_slugs(
        Article,
        ["Talks", "Talks", "Talks resume", "خوست", "Talks resume"],
        fallback="article",
        reserved={"talks-resume", "talks-2"},
    )
    assert slugs == ["talks-3", "talks-4", "talks-resume-2", "article", "talks-resume-3"]


# The number of articles a page shows


@override_settings(ARTICLES_PER_PAGE=2)
def test_search_results_are_paged_as_the_archive_and_entity_pages_are(client):
    khost = make_entity(Entity.Kind.PLACE, "Khost")
    for day in range(3):
        make_article(title=f"Khost market day {day}", tags=[khost], days_ago=day + 1)
    results = search(Criteria(text="Khost market"))
    assert results.count == 3
    assert results.page.paginator.per_page == 2 and len(results.page.object_list) == 2
    entity_page = client.get(khost.get_absolute_url())
    assert len(entity_page.context_data["page_obj"].object_list) == 2
