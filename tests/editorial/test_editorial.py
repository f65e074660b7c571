"""The editors' workflow in the admin, through real users in each group."""

import datetime
import io
import zipfile

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from articles.editorial.revisions import record_revision
from articles.models import Alias, Article, Entity, EntityRedirect, Mention, Revision
from tests.support.admin_forms import changeform_data, new_article_form, user_in
from tests.support.factories import make_article, make_entity

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/articles/article/add/"


def change_url(article):
    return f"/admin/articles/article/{article.pk}/change/"


@pytest.fixture
def contributor_client(db):
    client = Client()
    client.force_login(user_in("Contributors"))
    return client


def test_the_roles_exist_with_their_permissions():
    editors = set(Group.objects.get(name="Editors").permissions.values_list("codename", flat=True))
    contributors = set(
        Group.objects.get(name="Contributors").permissions.values_list("codename", flat=True)
    )
    assert "publish_article" in editors and "publish_article" not in contributors
    assert not any(p.endswith(("_user", "_group")) for p in editors | contributors)


@pytest.mark.parametrize(
    "url", ["/admin/auth/user/", "/admin/auth/group/", "/admin/auth/user/add/"]
)
def test_editors_and_contributors_cannot_manage_users_or_groups(
    editor_client, contributor_client, url
):
    assert editor_client.get(url).status_code == 403
    assert contributor_client.get(url).status_code == 403


def test_editors_cannot_delete_in_bulk(editor_client):
    make_article(tags=[make_entity()])
    response = editor_client.get("/admin/articles/article/")
    assert response.status_code == 200
    assert "delete_selected" not in response.text
    response = editor_client.get("/admin/articles/entity/")
    assert "delete_selected" not in response.text and 'value="merge"' in response.text


def test_an_editor_publishes_an_article_with_a_revision(editor_client, client):
    response = editor_client.post(ADD_URL, new_article_form())
    assert response.status_code == 302
    article = Article.objects.get(slug="torkham-reopens")
    assert article.status == Article.Status.PUBLISHED
    revision = article.revisions.get()
    assert revision.number == 1 and revision.author.username == "editors"
    assert "Torkham reopens" in client.get("/").text


def test_a_scheduled_article_appears_only_from_its_date(editor_client, client):
    tomorrow = timezone.localtime() + datetime.timedelta(days=1)
    data = new_article_form(
        published_at_0=tomorrow.date().isoformat(), published_at_1=tomorrow.strftime("%H:%M:%S")
    )
    assert editor_client.post(ADD_URL, data).status_code == 302
    article = Article.objects.get()
    assert "Torkham reopens" not in client.get("/").text
    assert client.get(article.get_absolute_url()).status_code == 404
    Article.objects.filter(pk=article.pk).update(
        published_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    assert client.get(article.get_absolute_url()).status_code == 200


def test_a_contributor_writes_drafts_but_cannot_publish(contributor_client, client):
    response = contributor_client.post(ADD_URL, new_article_form())
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.status == Article.Status.DRAFT
    assert client.get(article.get_absolute_url()).status_code == 404
    page = contributor_client.get(change_url(article)).text
    assert 'name="status"' not in page


def test_a_contributor_cannot_change_a_published_article(contributor_client):
    article = make_article(title="Published already")
    response = contributor_client.get(change_url(article))
    assert response.status_code == 200 and 'name="title"' not in response.text
    response = contributor_client.post(
        change_url(article), new_article_form(title="Vandalised", slug=article.slug)
    )
    assert response.status_code == 403
    article.refresh_from_db()
    assert article.title == "Published already"


def test_a_contributor_cannot_bulk_import(contributor_client):
    assert contributor_client.get("/admin/articles/article/import/").status_code == 403


def test_suggested_tags_are_offered_and_accepted(editor_client, seeded):
    taliban = Entity.objects.get(kind="organisation", slug="taliban")
    seeded.mentions.filter(entity=taliban).delete()
    Article.objects.filter(pk=seeded.pk).update(
        body=seeded.body + "\n\nMullah Baradar met traders. Mullah Baradar left."
    )
    page = editor_client.get(change_url(seeded))
    assert "Taliban (organisation, 23×)" in page.text
    assert "Mullah Baradar (2×)" in page.text
    data = changeform_data(page) | {
        "suggested_entities": [str(taliban.pk)],
        "new_entities": ["person:Mullah Baradar"],
    }
    assert editor_client.post(change_url(seeded), data).status_code == 302
    assert seeded.mentions.get(entity=taliban).count == 23
    baradar = Entity.objects.get(kind="person", name="Mullah Baradar")
    assert baradar.slug == "mullah-baradar"
    assert seeded.mentions.get(entity=baradar).count == 2


def test_one_kind_per_new_name(editor_client, seeded):
    Article.objects.filter(pk=seeded.pk).update(body="Mullah Baradar met Mullah Baradar.")
    page = editor_client.get(change_url(seeded))
    data = changeform_data(page) | {
        "new_entities": ["person:Mullah Baradar", "place:Mullah Baradar"],
    }
    response = editor_client.post(change_url(seeded), data)
    assert response.status_code == 200
    assert "Choose one kind for: Mullah Baradar." in response.text
    assert not Entity.objects.filter(name="Mullah Baradar").exists()


def test_the_preview_renders_sanitised_markdown_and_finds_names(editor_client, seeded):
    response = editor_client.post(
        "/admin/articles/article/preview/",
        {"title": "T", "body": "## Khowst\n\n<script>alert(1)</script>Noor Ahmad Wardak spoke."},
    )
    result = response.json()
    assert '<h2 id="khowst">Khowst</h2>' in result["html"]
    assert "<script" not in result["html"]
    assert result["reading_minutes"] == 1
    assert {"name": "Khost", "kind": "place", "count": 1} in result["found"]
    assert {"name": "Noor Ahmad Wardak", "count": 1} in result["new_names"]


def test_the_preview_is_for_staff_only(client):
    response = client.post("/admin/articles/article/preview/", {"body": "x"})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_every_save_keeps_a_revision_that_can_be_restored(editor_client, client):
    editor_client.post(ADD_URL, new_article_form())
    article = Article.objects.get()
    page = editor_client.get(change_url(article))
    data = changeform_data(page) | {"title": "Torkham reopens after talks"}
    assert editor_client.post(change_url(article), data).status_code == 302
    second = article.revisions.get(number=2)
    assert second.changed_fields == ["title"]
    view = editor_client.get(f"/admin/articles/article/{article.pk}/revisions/1/")
    assert "Torkham reopens" in view.text and "Restore this revision" in view.text
    opened = view.context["restore_form"]["opened_version"].value()
    restored = editor_client.post(
        f"/admin/articles/article/{article.pk}/revisions/1/", {"opened_version": opened}
    )
    assert restored.status_code == 302
    article.refresh_from_db()
    assert article.title == "Torkham reopens"
    assert article.revisions.get(number=3).comment == "Restored revision 1"
    assert "Torkham reopens after talks" not in client.get("/").text


def test_a_second_conflicting_save_is_refused_and_shows_the_others_changes(editor_client):
    article = make_article(
        title="Original title",
        body="Original body.",
        published_at=timezone.now().replace(microsecond=0),
    )
    record_revision(article)
    other_editor = Client()
    other_editor.force_login(user_in("Editors", "amina"))
    mine = changeform_data(editor_client.get(change_url(article)))
    theirs = changeform_data(other_editor.get(change_url(article)))
    theirs["title"] = "Their title"
    assert other_editor.post(change_url(article), theirs).status_code == 302
    mine["body"] = "My body."
    response = editor_client.post(change_url(article), mine)
    assert response.status_code == 200
    assert "Someone else saved this article after you opened it" in response.text
    assert "Revision 2 by amina" in response.text and "changed title." in response.text
    assert "title is now: &#x27;Their title&#x27;" in response.text
    article.refresh_from_db()
    assert article.title == "Their title" and article.body == "Original body."


def test_merging_entities_moves_tags_aliases_and_redirects(editor_client, client):
    hameed = make_entity(Entity.Kind.PERSON, "Faiz Hameed", slug="faiz-hameed", aliases=["Faiz"])
    hamid = make_entity(Entity.Kind.PERSON, "Faiz Hamid", slug="faiz-hamid", aliases=["فیض حمید"])
    both = make_article(tags=[hameed, hamid])
    only_hamid = make_article(tags=[hamid])
    response = editor_client.post(
        "/admin/articles/entity/",
        {"action": "merge", "_selected_action": [hameed.pk, hamid.pk]},
    )
    assert "Keep this one" in response.text
    response = editor_client.post(
        "/admin/articles/entity/",
        {"action": "merge", "_selected_action": [hameed.pk, hamid.pk], "survivor": hameed.pk},
    )
    assert response.status_code == 302
    assert not Entity.objects.filter(pk=hamid.pk).exists()
    assert Mention.objects.get(article=both, entity=hameed).count == 2
    assert Mention.objects.filter(article=only_hamid, entity=hameed).exists()
    assert set(Alias.objects.filter(entity=hameed).values_list("name", flat=True)) == {
        "Faiz",
        "Faiz Hamid",
        "فیض حمید",
    }
    assert EntityRedirect.objects.get(slug="faiz-hamid").entity == hameed
    moved = client.get("/people/faiz-hamid/")
    assert moved.status_code == 301 and moved["Location"] == "/people/faiz-hameed/"


def test_entities_of_different_kinds_are_not_merged(editor_client):
    place = make_entity(Entity.Kind.PLACE, "Khost")
    person = make_entity(Entity.Kind.PERSON, "Khost Khan")
    editor_client.post(
        "/admin/articles/entity/",
        {"action": "merge", "_selected_action": [place.pk, person.pk], "survivor": place.pk},
    )
    assert Entity.objects.filter(pk__in=[place.pk, person.pk]).count() == 2


def test_the_entity_page_shows_where_it_is_used(editor_client):
    khost = make_entity(Entity.Kind.PLACE, "Khost")
    make_article(title="Market day in Khost", tags=[khost])
    page = editor_client.get(f"/admin/articles/entity/{khost.pk}/change/").text
    assert "1 article(s)" in page and "Market day in Khost" in page


def upload(client, *files, dry_run=False):
    data = {"files": list(files)}
    if dry_run:
        data["dry_run"] = "on"
    return client.post("/admin/articles/article/import/", data)


GOOD_MD = (
    b"---\ntitle: Chaman protest ends\ndate: 2025-12-03\nsource: Dawn\n---\nTraders in Chaman.\n"
)


def test_bulk_upload_imports_good_files_with_a_per_file_report(editor_client, seeded):
    response = upload(editor_client, SimpleUploadedFile("chaman.md", GOOD_MD))
    assert response.status_code == 200
    assert "<td>chaman.md</td><td>created</td>" in response.text
    article = Article.objects.get(source_file="chaman.md")
    assert article.mentions.filter(entity__slug="chaman").exists()


def test_bulk_upload_of_a_zip(editor_client, seeded):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("batch/one.md", GOOD_MD)
        archive.writestr("batch/two.txt", "Shops in Spin Boldak reopened on Monday.\n")
    response = upload(editor_client, SimpleUploadedFile("batch.zip", buffer.getvalue()))
    assert "<td>batch.zip/batch/one.md</td><td>created</td>" in response.text
    assert Article.objects.filter(source_file__in=["one.md", "two.txt"]).count() == 2


def test_bulk_upload_with_a_bad_file_imports_nothing(editor_client, seeded):
    before = Article.objects.count()
    response = upload(
        editor_client,
        SimpleUploadedFile("chaman.md", GOOD_MD),
        SimpleUploadedFile("broken.txt", b"Caf\xe9 in Kabul\n"),
    )
    assert "Nothing was imported" in response.text
    assert "<strong>broken.txt</strong>: is not UTF-8 text" in response.text
    assert Article.objects.count() == before


@pytest.mark.parametrize(
    ("member", "reason"),
    [("../escape.md", "has a path leading outside the zip"), ("/etc/x.md", "leading outside")],
)
def test_bulk_upload_refuses_zips_that_escape(editor_client, member, reason):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(member, GOOD_MD)
    response = upload(editor_client, SimpleUploadedFile("evil.zip", buffer.getvalue()))
    assert reason in response.text
    assert not Article.objects.exists()


def test_bulk_upload_dry_run_writes_nothing(editor_client, seeded):
    response = upload(editor_client, SimpleUploadedFile("chaman.md", GOOD_MD), dry_run=True)
    assert "Dry run: nothing was written" in response.text
    assert not Article.objects.filter(source_file="chaman.md").exists()
    assert not Revision.objects.filter(article__source_file="chaman.md").exists()


def test_what_editors_type_is_escaped_in_the_admin(editor_client):
    person = make_entity(name="<script>alert('name')</script>", aliases=["<img src=x onerror=1>"])
    make_article(title="<script>alert('title')</script>", tags=[person])
    for url in (
        "/admin/articles/article/",
        "/admin/articles/entity/",
        f"/admin/articles/entity/{person.pk}/change/",
    ):
        html = editor_client.get(url).text
        assert "<script>alert(" not in html and "<img src=x" not in html
