"""Two editors on one entity: a save based on a page opened before someone else's save is
refused, as for articles, instead of silently undoing their change."""

import pytest
from django.test import Client

from articles.models import Alias, Entity
from tests.support.admin_forms import changeform_data, user_in
from tests.support.factories import make_entity

pytestmark = pytest.mark.django_db


def change_url(entity):
    return f"/admin/articles/entity/{entity.pk}/change/"


@pytest.fixture
def other_editor(db):
    client = Client()
    client.force_login(user_in("Editors", "amina"))
    return client


@pytest.fixture
def khost():
    return make_entity(
        Entity.Kind.PLACE, "Khost", slug="khost", description="A city.", aliases=["Khowst"]
    )


def test_a_stale_entity_form_is_refused_and_keeps_the_others_change(
    editor_client, other_editor, khost
):
    mine = changeform_data(editor_client.get(change_url(khost)))
    theirs = changeform_data(other_editor.get(change_url(khost)))
    theirs["description"] = "Their description."
    assert other_editor.post(change_url(khost), theirs).status_code == 302
    mine["role"] = ""
    mine["country"] = "Afghanistan"
    response = editor_client.post(change_url(khost), mine)
    assert response.status_code == 200
    assert "Someone else changed this entity after you opened it" in response.text
    khost.refresh_from_db()
    assert (khost.description, khost.country) == ("Their description.", "")


def test_an_alias_added_meanwhile_also_refuses_a_stale_form(editor_client, khost):
    mine = changeform_data(editor_client.get(change_url(khost)))
    Alias.objects.create(entity=khost, name="خوست")
    mine["description"] = "Mine."
    response = editor_client.post(change_url(khost), mine)
    assert "Someone else changed this entity after you opened it" in response.text
    khost.refresh_from_db()
    assert khost.description == "A city."


@pytest.mark.parametrize("opened", [None, "", "not-a-fingerprint"])
def test_a_form_that_does_not_say_what_it_opened_is_refused(editor_client, khost, opened):
    data = changeform_data(editor_client.get(change_url(khost)))
    data.pop("opened_state")
    if opened is not None:
        data["opened_state"] = opened
    data["description"] = "Mine."
    response = editor_client.post(change_url(khost), data)
    assert response.status_code == 200
    khost.refresh_from_db()
    assert khost.description == "A city."


def test_an_unchanged_entity_saves_and_adding_one_needs_no_fingerprint(editor_client, khost):
    data = changeform_data(editor_client.get(change_url(khost)))
    data["description"] = "Mine."
    assert editor_client.post(change_url(khost), data).status_code == 302
    khost.refresh_from_db()
    assert khost.description == "Mine."
    again = changeform_data(editor_client.get(change_url(khost)))
    again["description"] = "Mine again."
    assert editor_client.post(change_url(khost), again).status_code == 302
    add = changeform_data(editor_client.get("/admin/articles/entity/add/"))
    add |= {"kind": "person", "name": "Amina Khan", "slug": "amina-khan"}
    assert editor_client.post("/admin/articles/entity/add/", add).status_code == 302
