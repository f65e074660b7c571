import pytest
from django.contrib.auth.models import Permission, User

from articles.models import Article, Entity
from tests.support.admin_forms import new_article_form
from tests.support.factories import make_article, make_entity

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    user = User.objects.create_user("editor", password="a-long-password", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="articles").exclude(
            codename__startswith="delete"
        )
    )
    client.force_login(user)
    return user


def test_an_editor_adds_a_tagged_article_that_then_shows_publicly(client, editor):
    torkham = make_entity(Entity.Kind.PLACE, "Torkham", slug="torkham")
    data = new_article_form(add_tags="place:torkham")
    response = client.post("/admin/articles/article/add/", data)
    assert response.status_code == 302, response.context["adminform"].errors
    article = Article.objects.get(slug="torkham-reopens")
    assert list(article.entities.all()) == [torkham]
    assert article.mentions.get().origin == "editor"
    page = client.get("/articles/torkham-reopens/").text
    assert '<h2 id="queues">Queues</h2>' in page and "<strong>Torkham</strong>" in page
    assert 'href="/places/torkham/"' in page


def test_an_editor_edits_an_article(client, editor, seeded):
    url = f"/admin/articles/article/{seeded.pk}/change/"
    assert client.get(url).status_code == 200
    mentions = list(seeded.mentions.all())
    data = new_article_form(
        title="A better title", slug=seeded.slug, body=seeded.body, inferred_fields="title"
    )
    data["opened_version"] = str(seeded.version)
    response = client.post(url, data)
    assert response.status_code == 302
    seeded.refresh_from_db()
    assert seeded.title == "A better title"
    assert seeded.mentions.count() == len(mentions)


def test_a_published_article_needs_a_date(client, editor):
    response = client.post(
        "/admin/articles/article/add/", new_article_form(published_at_0="", published_at_1="")
    )
    assert response.status_code == 200
    assert not Article.objects.exists()


def test_an_editor_adds_an_entity_with_aliases(client, editor):
    response = client.post(
        "/admin/articles/entity/add/",
        {
            "kind": "place",
            "name": "Spin Boldak",
            "slug": "spin-boldak",
            "description": "Border town.",
            "country": "Afghanistan",
            "latitude": "31.0",
            "longitude": "66.4",
            "start_precision": "day",
            "end_precision": "day",
            "aliases-TOTAL_FORMS": "2",
            "aliases-INITIAL_FORMS": "0",
            "aliases-MIN_NUM_FORMS": "0",
            "aliases-MAX_NUM_FORMS": "1000",
            "aliases-0-name": "Spin Buldak",
            "aliases-1-name": "سپین بولدک",
        },
    )
    assert response.status_code == 302
    entity = Entity.objects.get(slug="spin-boldak")
    assert sorted(entity.aliases.values_list("name", flat=True)) == ["Spin Buldak", "سپین بولدک"]


def test_tag_autocomplete_finds_entities_by_alias(client, editor):
    make_entity(Entity.Kind.PERSON, "Faiz Hameed", aliases=["Faiz Hamid"])
    response = client.get(
        "/admin/autocomplete/",
        {"term": "Hamid", "app_label": "articles", "model_name": "mention", "field_name": "entity"},
    )
    assert [r["text"] for r in response.json()["results"]] == ["Faiz Hameed"]


def test_the_admin_requires_a_staff_login(client):
    response = client.get("/admin/articles/article/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_an_editor_names_the_article_a_new_one_translates(client, editor):
    original = make_article(title="Torkham reopens", slug="torkham-reopens-en", language="en")
    form = client.get("/admin/articles/article/add/").text
    assert '<label for="id_translation_of">' in form
    assert 'class="vForeignKeyRawIdAdminField"' in form  # a labelled box, no select2
    data = new_article_form(title="طورخم", slug="torkham-ur", language="ur")
    data["translation_of"] = str(original.pk)
    response = client.post("/admin/articles/article/add/", data)
    assert response.status_code == 302, response.context["adminform"].errors
    assert Article.objects.get(slug="torkham-ur").translation_of == original
