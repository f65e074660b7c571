"""Queries run beside the request's own (articles/db/alongside.py): on the helper's connection
outside transactions, on the request's inside them, with the same results either way."""

import threading

import pytest
from django.db import connection, transaction

from articles.db.alongside import alongside
from articles.models import Entity
from articles.search.criteria import Criteria
from articles.search.results import search
from tests.support.factories import make_article, make_entity


def backend_pid() -> int:
    return connection.connection.info.backend_pid if connection.connection else -1


def session() -> tuple[int, str]:
    connection.ensure_connection()
    return backend_pid(), threading.current_thread().name


@pytest.mark.django_db
def test_inside_a_transaction_it_runs_at_once_on_the_same_connection():
    make_article(title="Uncommitted")  # only this connection sees it
    future = alongside(session)
    assert future.done()
    assert future.result() == session()


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_it_runs_on_the_helpers_own_connection():
    pid, thread = alongside(session).result()
    assert thread.startswith("alongside")
    assert pid not in (-1, session()[0])
    assert alongside(session).result()[0] == pid  # the helper keeps its connection


@pytest.mark.django_db(transaction=True)
def test_a_busy_helper_leaves_the_call_to_the_caller():
    release = threading.Event()
    busy = alongside(release.wait, 10)
    try:
        assert alongside(session).result() == session()
    finally:
        release.set()
    assert busy.result() is True


@pytest.mark.django_db(transaction=True)
def test_what_the_call_raises_is_raised_by_result():
    def fails():
        raise LookupError("from the helper")

    with pytest.raises(LookupError, match="from the helper"):
        alongside(fails).result()


def facet_counts(criteria: Criteria) -> dict[str, dict[str, int]]:
    return {f.name: {v.label: v.count for v in f.values} for f in search(criteria).facets}


@pytest.mark.django_db(transaction=True)
def test_a_search_counts_the_same_on_the_helper_as_in_a_transaction():
    khost = make_entity(Entity.Kind.PLACE, "Khost")
    kabul = make_entity(Entity.Kind.PLACE, "Kabul")
    for tags in ([khost], [khost, kabul], [kabul]):
        make_article(title="Border talks", body="Border talks resumed.", tags=tags)
    criteria = Criteria(text="border")
    on_the_helper = facet_counts(criteria)
    with transaction.atomic():
        assert facet_counts(criteria) == on_the_helper
    assert on_the_helper["place"] == {"Khost": 2, "Kabul": 2}
    assert len(search(criteria).page.object_list) == 3
