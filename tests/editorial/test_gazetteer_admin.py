"""The gazetteer grows in the admin and the archive follows: adding an entity or an alias,
merging, importing a gazetteer file or taking a name from the names-to-add queue re-tags
the articles that name it once the change commits, and says what changed."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.models import (
    Alias,
    Article,
    Entity,
    GazetteerChange,
    ImportRun,
    Mention,
    NameCandidate,
)
from tests.support.admin_forms import user_in
from tests.support.gazetteer_growth import (
    NAMING_RAWALPINDI,
    URDU_NAMING_RAWALPINDI,
    import_articles,
)

# Re-tagging runs once the change commits: these tests commit, as the admin does.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def articles(seeded, tmp_path):
    imported = import_articles(tmp_path / "articles")
    GazetteerChange.objects.all().delete()
    return imported


def tagged_with(slug: str) -> set[str]:
    return set(
        Article.objects.filter(mentions__entity__slug=slug).values_list("source_file", flat=True)
    )


def entity_form(**fields) -> dict:
    data = {
        "kind": "place",
        "start_precision": "day",
        "end_precision": "day",
        "aliases-TOTAL_FORMS": "0",
        "aliases-INITIAL_FORMS": "0",
        "aliases-MIN_NUM_FORMS": "0",
        "aliases-MAX_NUM_FORMS": "1000",
    }
    return data | fields


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_adding_rawalpindi_in_the_admin_tags_its_articles_and_says_so(articles, editor_client):
    response = editor_client.post(
        reverse("admin:articles_entity_add"),
        entity_form(name="Rawalpindi", slug="rawalpindi", country="Pakistan"),
        follow=True,
    )
    assert tagged_with("rawalpindi") == set(NAMING_RAWALPINDI)
    assert (
        "Re-tagged 3 articles: 3 changed; 3 tags added (Rawalpindi 3), 0 removed. "
        "1 name left the names-to-add queue." in messages_of(response)
    )
    assert not GazetteerChange.objects.exists()


def test_an_urdu_alias_added_on_the_entity_page_tags_the_urdu_articles(articles, editor_client):
    rawalpindi = Entity.objects.create(kind="place", name="Rawalpindi", slug="rawalpindi")
    url = reverse("admin:articles_entity_change", args=[rawalpindi.pk])
    form = editor_client.get(url).context["adminform"].form
    response = editor_client.post(
        url,
        entity_form(
            name="Rawalpindi",
            slug="rawalpindi",
            opened_state=form["opened_state"].value(),
            **{"aliases-TOTAL_FORMS": "1", "aliases-0-name": "راولپنڈی"},
        ),
        follow=True,
    )
    assert tagged_with("rawalpindi") == set(NAMING_RAWALPINDI + URDU_NAMING_RAWALPINDI)
    assert any("5 tags added (Rawalpindi 5)" in m for m in messages_of(response))


def test_deleting_an_alias_on_the_entity_page_untags_what_only_it_tagged(
    articles, editor_client, tmp_path
):
    khost = Entity.objects.get(kind="place", slug="khost")
    url = reverse("admin:articles_entity_change", args=[khost.pk])
    page = editor_client.get(url)
    form = page.context["adminform"].form
    aliases = list(khost.aliases.order_by("name"))
    data = entity_form(
        name=khost.name,
        slug=khost.slug,
        description=khost.description,
        country=khost.country,
        latitude=str(khost.latitude),
        longitude=str(khost.longitude),
        opened_state=form["opened_state"].value(),
        **{"aliases-TOTAL_FORMS": str(len(aliases)), "aliases-INITIAL_FORMS": str(len(aliases))},
    )
    for number, alias in enumerate(aliases):
        data |= {
            f"aliases-{number}-id": str(alias.pk),
            f"aliases-{number}-entity": str(khost.pk),
            f"aliases-{number}-name": alias.name,
        }
        if alias.name == "Khowst":
            data[f"aliases-{number}-DELETE"] = "on"
    response = editor_client.post(url, data, follow=True)
    assert not Alias.objects.filter(entity=khost, name="Khowst").exists()
    assert Mention.objects.get(entity=khost, article__source_file="khost.md").count == 2
    assert any("1 recounted" in m for m in messages_of(response))


def test_merging_in_the_admin_retags_with_the_survivor(articles, editor_client):
    rawalpindi = Entity.objects.create(kind="place", name="Rawalpindi", slug="rawalpindi")
    market = Entity.objects.create(kind="place", name="Sher Zaman Market", slug="sher-zaman")
    response = editor_client.post(
        reverse("admin:articles_entity_changelist"),
        {
            "action": "merge",
            "_selected_action": [str(rawalpindi.pk), str(market.pk)],
            "survivor": str(rawalpindi.pk),
        },
        follow=True,
    )
    assert "Merged Sher Zaman Market into Rawalpindi." in messages_of(response)
    assert any(m.startswith("Re-tagged") for m in messages_of(response))
    assert Mention.objects.get(entity=rawalpindi, article__source_file="garrison.md").count == 4


def test_a_gazetteer_upload_retags_the_archive_and_its_report_is_kept(articles, editor_client):
    gazetteer = (
        "kind: place\nentities:\n  - name: Rawalpindi\n    slug: rawalpindi\n"
        "    aliases: [راولپنڈی]\n    country: Pakistan\n"
    )
    upload = SimpleUploadedFile("punjab.yaml", gazetteer.encode())
    response = editor_client.post(
        reverse("admin:articles_import"), {"files": [upload]}, follow=True
    )
    assert tagged_with("rawalpindi") == set(NAMING_RAWALPINDI + URDU_NAMING_RAWALPINDI)
    assert any("5 tags added (Rawalpindi 5)" in m for m in messages_of(response))
    run = ImportRun.objects.get(via="upload")
    assert (run.user.username, run.succeeded) == ("editors", True)
    assert "Entities: 1 created" in run.summary and "Re-tagged 5 articles" in run.summary


def test_a_refused_upload_is_kept_with_its_reasons(editor_client):
    upload = SimpleUploadedFile("broken.yaml", b"kind: planet\nentities: []\n")
    editor_client.post(reverse("admin:articles_import"), {"files": [upload]})
    run = ImportRun.objects.get()
    assert not run.succeeded and run.report["errors"][0][0] == "broken.yaml"


def test_a_change_by_someone_who_may_not_tag_waits_for_the_next_retag(articles, client):
    user = user_in("Editors", "curator")
    user.groups.clear()
    user.user_permissions.set(
        user.user_permissions.model.objects.filter(
            codename__in=["add_entity", "change_entity", "view_entity", "add_alias"]
        )
    )
    client.force_login(user)
    response = client.post(
        reverse("admin:articles_entity_add"),
        entity_form(name="Rawalpindi", slug="rawalpindi"),
        follow=True,
    )
    assert any("was not re-tagged" in m for m in messages_of(response))
    assert tagged_with("rawalpindi") == set()
    assert GazetteerChange.objects.filter(name="Rawalpindi").exists()


# The names-to-add queue


def queue_page(client, **params):
    return client.get(reverse("admin:articles_namecandidate_changelist"), params)


def act(client, name: str, **data):
    candidate = NameCandidate.objects.get(name=name)
    url = reverse("admin:articles_namecandidate_act", args=[candidate.pk])
    return client.post(url, data, follow=True)


def test_the_queue_shows_the_names_with_articles_sources_and_dates(
    articles, editor_client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        page = queue_page(editor_client)
    html = page.text
    assert html.index("Rawalpindi") < html.index("Sher Zaman Market")
    row = html[html.index('<th scope="row">Rawalpindi</th>') :]
    row = row[: row.index("</tr>")]
    assert "Dawn, The Express Tribune" in row
    assert '<time datetime="2025-11-01T00:00:00+00:00">1 Nov 2025</time>' in row
    assert "?new_name=" in row
    listed = editor_client.get(row.split('href="')[1].split('"')[0].replace("&amp;", "&"))
    assert {a.source_file for a in listed.context["cl"].result_list} == set(NAMING_RAWALPINDI)


def test_a_name_becomes_a_place_in_one_step_which_tags_its_articles(articles, editor_client):
    response = act(editor_client, "Rawalpindi", action="entity", kind="place")
    entity = Entity.objects.get(kind="place", name="Rawalpindi")
    assert entity.slug == "rawalpindi"
    assert tagged_with("rawalpindi") == set(NAMING_RAWALPINDI)
    shown = messages_of(response)
    assert "Added place Rawalpindi to the gazetteer." in shown
    assert any(m.startswith("Re-tagged 3 articles") for m in shown)
    assert "Rawalpindi" not in queue_page(editor_client).text


def test_a_name_becomes_another_name_of_an_entity(articles, editor_client):
    response = act(editor_client, "Sher Zaman Market", action="alias", entity="place:khost")
    assert Alias.objects.filter(entity__slug="khost", name="Sher Zaman Market").exists()
    assert {"garrison.md", "traders.md"} <= tagged_with("khost")
    assert "Sher Zaman Market is now another name of Khost." in messages_of(response)


def test_a_name_for_an_unknown_entity_or_a_name_it_has_is_refused(articles, editor_client):
    response = act(editor_client, "Rawalpindi", action="alias", entity="Atlantis")
    assert "Unknown tag 'Atlantis'." in messages_of(response)
    response = act(editor_client, "Rawalpindi", action="entity", kind="planet")
    assert "Unknown kind 'planet'." in messages_of(response)
    assert not Entity.objects.filter(name="Rawalpindi").exists()


def test_a_dismissed_name_is_not_offered_again(articles, editor_client):
    response = act(editor_client, "Sher Zaman Market", action="dismiss")
    assert "Sher Zaman Market will not be offered again." in messages_of(response)
    assert "Sher Zaman Market" not in queue_page(editor_client).text
    assert NameCandidate.objects.get(name="Sher Zaman Market").dismissed_by.username == "editors"


def test_contributors_see_no_queue_and_cannot_act_on_it(articles, client):
    client.force_login(user_in("Contributors"))
    assert queue_page(client).status_code == 403
    response = act(client, "Rawalpindi", action="entity", kind="place")
    assert response.status_code == 403
    assert not Entity.objects.filter(name="Rawalpindi").exists()


def test_the_queue_pages_and_finds_names(articles, editor_client):
    NameCandidate.objects.bulk_create(
        [NameCandidate(key=f"name {n}", name=f"Name {n}") for n in range(60)]
    )
    page = queue_page(editor_client, q="sher zaman")
    assert "Sher Zaman Market" in page.text and "Rawalpindi" not in page.text
    assert queue_page(editor_client, p="999").status_code == 200
    assert queue_page(editor_client, q="\x00").status_code in (200, 400)


def test_a_change_that_would_retag_too_many_articles_at_once_is_left_to_the_command(
    articles, editor_client, monkeypatch
):
    monkeypatch.setattr("articles.admin.entities.WHILE_YOU_WAIT", 2)
    response = editor_client.post(
        reverse("admin:articles_entity_add"),
        entity_form(name="Rawalpindi", slug="rawalpindi"),
        follow=True,
    )
    assert any("more than are re-tagged while you wait (2)" in m for m in messages_of(response))
    assert GazetteerChange.objects.filter(name="Rawalpindi").exists()
    desk = editor_client.get(reverse("admin:index")).text
    assert "1 gazetteer change waits to be re-tagged" in desk
