"""Queries compiled once per shape (articles/db/compiled.py) give each run its own values."""

import pytest
from django.db.models import IntegerField
from django.db.models.functions import Upper

from articles.db.compiled import CompiledQuery, Slot, compiled, is_any_of
from articles.models import Entity, Revision
from tests.support.factories import make_article, make_entity


@compiled
def names_of_kind(ordered: bool):
    entities = Entity.objects.filter(kind=Slot("kind")).values_list("name", flat=True)
    return entities.order_by("name") if ordered else entities


def test_a_compiled_query_is_built_once_and_runs_with_each_runs_values(db):
    make_entity(kind="place", name="Khost")
    make_entity(kind="place", name="Jalalabad")
    make_entity(kind="person", name="Faiz Hameed")
    names_of_kind.cache_clear()
    places = names_of_kind(True)
    assert names_of_kind(True) is places  # the same compiled statement
    assert places.column(kind="place") == ["Jalalabad", "Khost"]
    assert places.column(kind="person") == ["Faiz Hameed"]
    assert places.column(kind="event") == []


def test_values_are_sent_as_parameters_never_as_sql(db):
    make_entity(kind="place", name="Khost")
    hostile = "place' OR '1'='1"
    assert names_of_kind(False).column(kind=hostile) == []
    assert hostile not in names_of_kind(False).sql


def test_ids_go_as_one_array(db):
    khost, kabul, _other = (make_entity(kind="place", name=n) for n in ("Khost", "Kabul", "Herat"))
    statement = CompiledQuery.of(
        Entity.objects.filter(is_any_of("pk", "ids")).order_by("name").values("name", "kind")
    )
    assert statement.rows(ids=[khost.pk, kabul.pk]) == [
        {"name": "Kabul", "kind": "place"},
        {"name": "Khost", "kind": "place"},
    ]
    assert statement.rows(ids=[]) == []


def test_a_missing_value_is_an_error_not_a_null(db):
    with pytest.raises(TypeError, match="kind"):
        names_of_kind(False).column()


def test_rows_become_instances_with_their_fields_converted_and_extra_columns_kept(db):
    article = make_article(title="Talks")
    Revision.objects.create(article=article, number=1, snapshot={"title": "Talks"})
    revisions = Revision.objects.filter(number=Slot("number", IntegerField()))
    statement = CompiledQuery.of(revisions.defer("comment").annotate(label=Upper("comment")))
    [revision] = statement.instances(Revision, number=1)
    assert isinstance(revision, Revision) and revision.article_id == article.pk
    assert revision.snapshot == {"title": "Talks"}  # JSON, as the field loads it
    assert revision.label == ""
    assert revision.get_deferred_fields() == {"comment"}
    assert statement.instances(Revision, number=2) == []
