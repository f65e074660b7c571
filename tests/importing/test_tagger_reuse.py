"""The tagger built from the gazetteer is reused while the gazetteer is unchanged, and
built again as soon as an entity or alias is added, renamed or removed: committed, or
written earlier in the current transaction (as here: each test runs in one)."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from articles.importing.tagging import Tagger
from articles.models import Alias, Article, Entity
from tests.support.factories import make_entity

pytestmark = pytest.mark.django_db

TEXT = "Traders at Weesh Mandi waited for Faiz Hameed."


def change_url(article):
    return f"/admin/articles/article/{article.pk}/change/"


def test_the_second_article_form_builds_no_new_tagger(editor_client, seeded):
    assert editor_client.get(change_url(seeded)).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        page = editor_client.get(change_url(seeded))
    assert "Found in the text" in page.text
    assert not [q["sql"] for q in queries if "articles_alias" in q["sql"]]


def test_an_alias_added_makes_the_next_article_form_suggest_its_entity(editor_client, seeded):
    market = make_entity(Entity.Kind.PLACE, "Border market")
    Article.objects.filter(pk=seeded.pk).update(body=f"{seeded.body}\n\n{TEXT}")
    before = editor_client.get(change_url(seeded))
    assert "Weesh Mandi (1×)" in before.text
    assert "Border market (place, 1×)" not in before.text

    Alias.objects.create(entity=market, name="Weesh Mandi")
    after = editor_client.get(change_url(seeded))
    assert "Border market (place, 1×)" in after.text
    assert "Weesh Mandi (1×)" not in after.text


def test_the_tagger_is_the_same_until_the_gazetteer_changes(db):
    market = make_entity(Entity.Kind.PLACE, "Border market")
    tagger = Tagger.from_database()
    assert Tagger.from_database() is tagger
    assert tagger.count(TEXT) == {}

    alias = Alias.objects.create(entity=market, name="Weesh Mandi")
    assert Tagger.from_database().count(TEXT) == {market.pk: 1}
    Alias.objects.filter(pk=alias.pk).update(name="Weesh Bazaar")
    assert Tagger.from_database().count(TEXT) == {}
    Entity.objects.filter(pk=market.pk).update(name="Weesh Mandi")
    assert Tagger.from_database().count(TEXT) == {market.pk: 1}
    hameed = make_entity(Entity.Kind.PERSON, "Faiz Hameed")
    assert Tagger.from_database().count(TEXT) == {market.pk: 1, hameed.pk: 1}
    market.delete()
    assert Tagger.from_database().count(TEXT) == {hameed.pk: 1}


class Undone(Exception):
    pass


def test_a_write_rolled_back_to_a_savepoint_is_forgotten(db):
    """A later write, as many statements long, does not bring back a tagger built with
    what the savepoint wrote."""
    market = make_entity(Entity.Kind.PLACE, "Border market")
    Tagger.from_database()
    with pytest.raises(Undone), transaction.atomic():
        Alias.objects.create(entity=market, name="Weesh Mandi")
        assert Tagger.from_database().count(TEXT) == {market.pk: 1}
        raise Undone
    Alias.objects.create(entity=market, name="Torkham market")
    assert Tagger.from_database().count(TEXT) == {}
