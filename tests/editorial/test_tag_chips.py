"""The article form's tags: chips grouped by kind, each with its count and whether the
text, the file or an editor gave it, removed by a tick and added by name; a page that stays
usable with a hundred tags."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from articles.models import Entity, Mention, RemovedTag
from tests.support.admin_forms import changeform_data, user_in
from tests.support.factories import make_article, make_entity

pytestmark = pytest.mark.django_db


def change_url(article) -> str:
    return reverse("admin:articles_article_change", args=[article.pk])


def chips_of(html: str) -> str:
    return html[html.index('class="tag-chips"') : html.index('id="id_add_tags"')]


def test_tags_show_as_chips_grouped_by_kind_with_counts_and_origins(seeded, editor_client):
    html = editor_client.get(change_url(seeded)).text
    chips = chips_of(html)
    legends = re.findall(r"<legend>(\w+) <span", chips)
    assert legends == ["People", "Places", "Events", "Organisations"]
    khost = seeded.mentions.get(entity__slug="khost")
    chip = f'<span class="tag-chip-name">Khost</span> <span class="tag-chip-meta">{khost.count}×'
    assert f"{chip} · text" in chips
    assert "0× · file" in chips  # the events its sidecar declared
    # The old table repeated the article's title on every tag's row.
    assert html.count(seeded.title) <= 4


def test_ticked_chips_are_removed_and_stay_removed(seeded, editor_client):
    url = change_url(seeded)
    khost = Entity.objects.get(kind="place", slug="khost")
    data = changeform_data(editor_client.get(url)) | {"remove_tags": [str(khost.pk)]}
    assert editor_client.post(url, data).status_code == 302
    assert not seeded.mentions.filter(entity=khost).exists()
    assert RemovedTag.objects.filter(article=seeded, entity=khost).exists()


def test_tags_are_added_by_name_alias_or_slug_as_an_editors(seeded, editor_client):
    url = change_url(seeded)
    make_entity(Entity.Kind.PLACE, "Chaman Bazaar", slug="chaman-bazaar")
    data = changeform_data(editor_client.get(url)) | {
        "add_tags": "chaman-bazaar\nplace:torkham, Faiz Hamid"
    }
    response = editor_client.post(url, data)
    assert response.status_code == 302
    added = dict(seeded.mentions.filter(origin="editor").values_list("entity__slug", "count"))
    assert added == {"chaman-bazaar": 0, "torkham": 0}  # Faiz Hameed was tagged already


def test_an_unknown_or_ambiguous_tag_is_refused_by_name(seeded, editor_client):
    make_entity(Entity.Kind.PERSON, "Doha", slug="doha-person")
    url = change_url(seeded)
    data = changeform_data(editor_client.get(url)) | {"add_tags": "Atlantis\nDoha"}
    response = editor_client.post(url, data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["add_tags"]
    assert errors == [
        "Unknown tag 'Atlantis'.",
        "Tag 'Doha' is ambiguous (person, place); write it as kind:name.",
    ]


def test_a_hundred_tags_fit_on_the_page(editor_client, django_assert_max_num_queries):
    article = make_article(title="A very long article title about many things at once")
    entities = [
        make_entity(kind, f"Entity {number:03}")
        for number, kind in enumerate(list(Entity.Kind) * 25)
    ]
    Mention.objects.bulk_create(
        Mention(article=article, entity=e, count=n % 7, origin="text")
        for n, e in enumerate(entities)
    )
    url = change_url(article)
    editor_client.get(url)
    with django_assert_max_num_queries(30):
        html = editor_client.get(url).text
    chips = chips_of(html)
    assert chips.count('class="tag-chip ') == 100
    assert html.count(article.title) <= 4
    # Each chip is a few hundred bytes: a hundred tags add tens of kilobytes, not a table.
    assert len(chips) < 100 * 700


def test_who_may_not_remove_tags_sees_them_without_removing(seeded, client):
    user = user_in("Contributors")
    user.groups.clear()
    user.user_permissions.set(
        Permission.objects.filter(
            codename__in=["view_article", "change_article", "add_article", "add_mention"]
        )
    )
    client.force_login(user)
    draft = make_article(status="draft", published_at=None, body="In Khost.")
    khost = Entity.objects.get(kind="place", slug="khost")
    Mention.objects.create(article=draft, entity=khost, count=1, origin="text")
    url = change_url(draft)
    html = client.get(url).text
    assert 'class="tag-chip-remove"' in chips_of(html) and " disabled>" in chips_of(html)
    data = changeform_data(client.get(url)) | {"remove_tags": [str(khost.pk)]}
    assert client.post(url, data).status_code == 302
    assert draft.mentions.filter(entity=khost).exists()


def test_who_may_only_view_an_article_sees_its_tags(seeded, client):
    client.force_login(user_in("Contributors"))  # a published article is view-only to them
    html = client.get(change_url(seeded)).text
    assert 'id="id_add_tags"' not in html
    chips = html[html.index('class="tag-chips"') :]
    assert '<span class="tag-chip-name">Khost</span>' in chips and " disabled>" in chips


def test_the_entity_lookup_finds_names_and_aliases_most_tagged_first(seeded, editor_client):
    url = reverse("admin:articles_entity_lookup")
    results = editor_client.get(url, {"q": "Hamid"}).json()["results"]
    assert results[0]["name"] == "Faiz Hameed" and results[0]["kind_plural"] == "People"
    results = editor_client.get(url, {"q": "کابل"}).json()["results"]
    assert [r["slug"] for r in results] == ["kabul"]
    assert editor_client.get(url, {"q": ""}).json() == {"results": []}
    assert editor_client.get(url, {"q": "\x00" * 3}).status_code in (200, 400)
