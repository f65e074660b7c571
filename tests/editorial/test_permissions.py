"""Every write path of the admin decides as the change form does: the status is the
Editors' decision, published articles are theirs to change, entities are theirs to create;
and no path writes over a save its user has not seen."""

import re

import pytest
from django.contrib.auth.models import Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from articles.models import Alias, Article, Entity, EntityRedirect, Mention
from tests.support.admin_forms import changeform_data, new_article_form, user_in
from tests.support.factories import make_article, make_entity

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/articles/article/add/"
STALE_FORM = "does not say which version of the article it was opened at"


def change_url(article):
    return f"/admin/articles/article/{article.pk}/change/"


def revision_url(article, number):
    return f"/admin/articles/article/{article.pk}/revisions/{number}/"


@pytest.fixture
def contributor_client(db):
    client = Client()
    client.force_login(user_in("Contributors"))
    return client


def client_of(user):
    client = Client()
    client.force_login(user)
    return client


def staff_with(*codenames):
    user = User.objects.create_user("custom", password="a-long-password", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="articles", codename__in=codenames)
    )
    return user


def save_change(client, article, **changes):
    data = changeform_data(client.get(change_url(article))) | changes
    return client.post(change_url(article), data)


def restore(client, article, number):
    """Presses "Restore this revision" on the revision's page, as a browser would."""
    page = client.get(revision_url(article, number)).text
    opened = re.search(r'name="opened_version" value="(\d+)"', page)
    assert opened, "the restore form carries the version the page showed"
    return client.post(revision_url(article, number), {"opened_version": opened[1]})


def messages_after(response, client):
    return client.get(response["Location"]).text


@pytest.fixture
def withdrawn(editor_client):
    """Published by an editor (revision 1), then returned to draft (revision 2)."""
    assert editor_client.post(ADD_URL, new_article_form()).status_code == 302
    article = Article.objects.get()
    assert save_change(editor_client, article, status="draft").status_code == 302
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT and article.version == 2
    return article


# Restoring a revision


def test_a_contributor_restoring_a_published_revision_leaves_the_article_a_draft(
    withdrawn, contributor_client, client
):
    save_change(contributor_client, withdrawn, title="Torkham reopens, draft")
    page = contributor_client.get(revision_url(withdrawn, 1)).text
    assert "stays a draft" in page
    response = restore(contributor_client, withdrawn, 1)
    assert response.status_code == 302
    withdrawn.refresh_from_db()
    assert withdrawn.title == "Torkham reopens" and withdrawn.status == Article.Status.DRAFT
    assert client.get(withdrawn.get_absolute_url()).status_code == 404
    restored = withdrawn.revisions.get(number=4)
    assert restored.author.username == "contributors"
    assert restored.snapshot["status"] == "draft" and "status" not in restored.changed_fields
    assert "its status (published) was not restored" in messages_after(response, contributor_client)


def test_an_editor_restoring_a_published_revision_publishes_it(withdrawn, editor_client, client):
    assert "stays a draft" not in editor_client.get(revision_url(withdrawn, 1)).text
    assert restore(editor_client, withdrawn, 1).status_code == 302
    withdrawn.refresh_from_db()
    assert withdrawn.status == Article.Status.PUBLISHED
    assert client.get(withdrawn.get_absolute_url()).status_code == 200


def test_a_contributor_cannot_restore_over_a_published_article(editor_client, contributor_client):
    assert editor_client.post(ADD_URL, new_article_form()).status_code == 302
    article = Article.objects.get()
    save_change(editor_client, article, title="Torkham reopens after talks")
    page = contributor_client.get(revision_url(article, 1))
    assert page.status_code == 200 and "Restore this revision" not in page.text
    version = Article.objects.get().version
    response = contributor_client.post(revision_url(article, 1), {"opened_version": version})
    assert response.status_code == 403
    assert Article.objects.get().title == "Torkham reopens after talks"


def test_a_restore_from_a_stale_page_is_refused_and_names_the_newer_save(withdrawn, editor_client):
    page = editor_client.get(revision_url(withdrawn, 1)).text
    opened = re.search(r'name="opened_version" value="(\d+)"', page)[1]
    other = client_of(user_in("Editors", "amina"))
    assert save_change(other, withdrawn, title="Their title").status_code == 302
    response = editor_client.post(revision_url(withdrawn, 1), {"opened_version": opened})
    assert response.status_code == 302 and response["Location"] == revision_url(withdrawn, 1)
    shown = messages_after(response, editor_client)
    assert "Someone else saved this article after you opened it. Nothing was restored" in shown
    assert "Revision 3 by amina" in shown
    withdrawn.refresh_from_db()
    assert withdrawn.title == "Their title" and withdrawn.version == 3


@pytest.mark.parametrize("opened", [None, "", "two", "-1", "1.5"])
def test_a_restore_without_a_valid_opened_version_is_refused(withdrawn, editor_client, opened):
    data = {} if opened is None else {"opened_version": opened}
    response = editor_client.post(revision_url(withdrawn, 1), data)
    assert response.status_code == 302
    assert STALE_FORM in messages_after(response, editor_client)
    withdrawn.refresh_from_db()
    assert withdrawn.status == Article.Status.DRAFT and withdrawn.version == 2


def test_a_restore_that_would_take_another_articles_address_is_refused(withdrawn, editor_client):
    assert save_change(editor_client, withdrawn, slug="torkham-reopens-2").status_code == 302
    other = make_article(title="Another Torkham story", slug="torkham-reopens")
    response = restore(editor_client, withdrawn, 1)
    assert response.status_code == 302 and response["Location"] == revision_url(withdrawn, 1)
    shown = messages_after(response, editor_client)
    assert "Revision 1 was not restored" in shown and "Slug already exists" in shown
    withdrawn.refresh_from_db()
    assert withdrawn.slug == "torkham-reopens-2" and withdrawn.version == 3
    assert Article.objects.get(pk=other.pk).slug == "torkham-reopens"


def test_restoring_rewrites_tags_so_it_needs_the_tagging_permissions(withdrawn):
    writer = client_of(staff_with("view_article", "change_article", "view_revision"))
    response = writer.post(revision_url(withdrawn, 1), {"opened_version": withdrawn.version})
    assert response.status_code == 403
    assert "Restore this revision" not in writer.get(revision_url(withdrawn, 1)).text


# The change form's edit-conflict check


@pytest.mark.parametrize("opened", [None, "", "seven", "-1"])
def test_a_change_without_a_valid_opened_version_is_refused(editor_client, opened):
    article = make_article(title="Original title")
    data = changeform_data(editor_client.get(change_url(article))) | {"title": "Stale title"}
    del data["opened_version"]
    if opened is not None:
        data["opened_version"] = opened
    response = editor_client.post(change_url(article), data)
    assert response.status_code == 200
    assert STALE_FORM in response.text and "reload the page and apply your edits" in response.text
    article.refresh_from_db()
    assert article.title == "Original title" and not article.revisions.exists()


# Tag suggestions: new entities are the Editors'


@pytest.fixture
def contributors_draft(contributor_client):
    make_entity(Entity.Kind.PLACE, "Khost", slug="khost")
    body = "Mullah Baradar met traders in Khost. Mullah Baradar left Khost."
    assert contributor_client.post(ADD_URL, new_article_form(body=body)).status_code == 302
    return Article.objects.get()


def test_a_contributor_is_not_offered_new_entities(contributors_draft, contributor_client):
    page = contributor_client.get(change_url(contributors_draft)).text
    assert "Khost (place, 2×)" in page
    assert 'name="new_entities"' not in page and "Mullah Baradar (2×)" not in page


def test_new_entities_posted_by_a_contributor_are_refused(
    contributors_draft, contributor_client, client
):
    data = changeform_data(contributor_client.get(change_url(contributors_draft))) | {
        "title": "Retitled",
        "new_entities": ["person:Mullah Baradar"],
    }
    response = contributor_client.post(change_url(contributors_draft), data)
    assert response.status_code == 200
    assert "Only editors create entities" in response.text
    assert "Mullah Baradar" in response.text
    assert not Entity.objects.filter(name="Mullah Baradar").exists()
    assert Article.objects.get().title == "Torkham reopens"
    assert client.get("/people/mullah-baradar/").status_code == 404
    assert "Mullah Baradar" not in client.get("/people/").text


def test_a_contributor_tags_with_suggested_entities(contributors_draft, contributor_client):
    khost = Entity.objects.get(slug="khost")
    data = changeform_data(contributor_client.get(change_url(contributors_draft))) | {
        "suggested_entities": [str(khost.pk)]
    }
    assert contributor_client.post(change_url(contributors_draft), data).status_code == 302
    assert Mention.objects.get(article=contributors_draft, entity=khost).count == 2


def test_without_tagging_permissions_no_suggestion_is_offered_or_accepted(contributors_draft):
    writer = client_of(staff_with("view_article", "change_article", "view_entity"))
    page = writer.get(change_url(contributors_draft))
    assert 'name="suggested_entities"' not in page.text
    khost = Entity.objects.get(slug="khost")
    data = changeform_data(page) | {"suggested_entities": [str(khost.pk)]}
    response = writer.post(change_url(contributors_draft), data)
    assert response.status_code == 200 and "Only users who may tag" in response.text
    assert not Mention.objects.filter(article=contributors_draft).exists()


# The other write paths


def test_a_contributor_changes_no_entity_alias_or_redirect(contributor_client):
    khost = make_entity(Entity.Kind.PLACE, "Khost", slug="khost", aliases=["Khowst"])
    other = make_entity(Entity.Kind.PLACE, "Khost town", slug="khost-town")
    before = (
        list(Entity.objects.values_list()),
        list(Alias.objects.values_list()),
        list(EntityRedirect.objects.values_list()),
    )
    posts = [
        ("/admin/articles/entity/add/", {"kind": "person", "name": "X", "slug": "x"}),
        (f"/admin/articles/entity/{khost.pk}/change/", {"kind": "place", "name": "Y"}),
        (f"/admin/articles/entity/{khost.pk}/delete/", {"post": "yes"}),
        ("/admin/articles/entityredirect/add/", {"kind": "place", "slug": "k", "entity": 1}),
    ]
    for url, data in posts:
        assert contributor_client.post(url, data).status_code == 403, url
    contributor_client.post(
        "/admin/articles/entity/",
        {"action": "merge", "_selected_action": [khost.pk, other.pk], "survivor": khost.pk},
    )
    after = (
        list(Entity.objects.values_list()),
        list(Alias.objects.values_list()),
        list(EntityRedirect.objects.values_list()),
    )
    assert after == before


def test_importing_needs_every_permission_an_import_writes_with():
    """An import writes entities (gazetteer files) and tags as well as articles."""
    writer = client_of(
        staff_with("view_article", "add_article", "change_article", "publish_article")
    )
    gazetteer = SimpleUploadedFile(
        "people.yaml", b"kind: person\nentities:\n  - name: Noor Wardak\n    slug: noor-wardak\n"
    )
    response = writer.post("/admin/articles/article/import/", {"files": [gazetteer]})
    assert response.status_code == 403
    assert not Entity.objects.exists()
