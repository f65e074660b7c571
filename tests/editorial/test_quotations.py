"""Editors see, correct, delete and add quotations in the article form, with the article's
permissions and revisions; finding them again (at each save and import) keeps what
editors decided."""

import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

from articles.models import Article, Entity, Quotation, RemovedQuotation
from tests.conftest import SEED_FILE, SEEDS
from tests.support.admin_forms import changeform_data, user_in

TABAN = "His supporters tried to use the opportunity to whitewash the image of the Taliban"
BASIR = (
    "By harboring the TTP, the Taliban have created the conditions for this confrontation "
    "with Pakistan"
)

EDITORS = "An editor's quotation"


@pytest.fixture
def seed_folder(tmp_path):
    return Path(shutil.copytree(SEEDS, tmp_path / "seeds"))


@pytest.fixture
def imported(db, seed_folder):
    call_command("import_articles", str(seed_folder), verbosity=0)
    return Article.objects.get()


def quotations(article) -> dict[str, tuple[str, str]]:
    return {
        q.passage: (q.person.slug, q.origin)
        for q in Quotation.objects.filter(article=article).select_related("person")
    }


def post_quotations(client, article, change):
    """Saves the article's form as shown, with ``change(data, forms)`` applied to it;
    ``forms`` maps each quotation's passage to its form number."""
    url = f"/admin/articles/article/{article.pk}/change/"
    response = client.get(url)
    data = changeform_data(response)
    inline = next(
        i for i in response.context["inline_admin_formsets"] if i.formset.prefix == "quotations"
    )
    forms = {form.instance.passage: n for n, form in enumerate(inline.formset.initial_forms)}
    change(data, forms)
    response = client.post(url, data)
    assert response.status_code == 302, response.context and [
        i.formset.errors for i in response.context["inline_admin_formsets"]
    ]
    article.refresh_from_db()


def test_the_import_attributes_the_seeds_three_quotations_and_nothing_else(imported):
    found = quotations(imported)
    assert sorted(slug for slug, _ in found.values()) == [
        "abbas-basir",
        "bismillah-taban",
        "mujib-rahman-rahimi",
    ]
    assert found[TABAN] == ("bismillah-taban", "text")
    revision = imported.revisions.get()
    assert len(revision.snapshot["quotations"]) == 3


def test_an_editor_corrects_deletes_and_adds_quotations_and_each_is_a_revision(
    imported, editor_client
):
    sadat = Entity.objects.get(slug="khushal-sadat")

    def change(data, forms):
        data[f"quotations-{forms[TABAN]}-person"] = str(sadat.pk)  # corrected
        data[f"quotations-{forms[BASIR]}-DELETE"] = "on"
        total = int(data["quotations-TOTAL_FORMS"])
        data |= {
            f"quotations-{total}-person": str(sadat.pk),
            f"quotations-{total}-passage": "Words an editor found the finder missed",
            f"quotations-{total}-position": "3",
            "quotations-TOTAL_FORMS": str(total + 1),
        }

    post_quotations(editor_client, imported, change)
    found = quotations(imported)
    assert found[TABAN] == ("khushal-sadat", "editor")
    assert BASIR not in found
    assert found["Words an editor found the finder missed"] == ("khushal-sadat", "editor")
    assert set(RemovedQuotation.objects.values_list("passage", flat=True)) == {BASIR}
    latest = imported.revisions.first()
    assert latest.number == 2 and "quotations" in latest.changed_fields


def test_a_reimport_keeps_an_editors_quotations(imported, editor_client, seed_folder):
    def change(data, forms):
        data[f"quotations-{forms[BASIR]}-DELETE"] = "on"
        data[f"quotations-{forms[TABAN]}-passage"] = TABAN + "."

    post_quotations(editor_client, imported, change)
    before = quotations(imported)
    # The file changes elsewhere; editors changed no text, only quotations.
    seed = seed_folder / SEED_FILE.name
    seed.write_text(seed.read_text().replace("Khost and Jalalabad", "Khowst and Jalalabad"))
    call_command("import_articles", str(seed_folder), verbosity=0)
    imported.refresh_from_db()
    assert imported.body.count("Khowst") == 1
    assert quotations(imported) == before
    assert BASIR not in before and TABAN not in before
    assert before[TABAN + "."] == ("bismillah-taban", "editor")


def test_saving_the_text_finds_its_quotations_again(imported, editor_client):
    url = f"/admin/articles/article/{imported.pk}/change/"
    data = changeform_data(editor_client.get(url))
    data["body"] = imported.body.replace("said Basir", "said a spokesman")
    assert editor_client.post(url, data).status_code == 302
    assert "abbas-basir" not in {slug for slug, _ in quotations(imported).values()}
    assert len(quotations(imported)) == 2


def test_a_restore_brings_back_an_editors_quotation(imported, editor_client):
    sadat = Entity.objects.get(slug="khushal-sadat")

    def add(data, forms):
        total = int(data["quotations-TOTAL_FORMS"])
        data |= {
            f"quotations-{total}-person": str(sadat.pk),
            f"quotations-{total}-passage": EDITORS,
            f"quotations-{total}-position": "0",
            "quotations-TOTAL_FORMS": str(total + 1),
        }

    post_quotations(editor_client, imported, add)

    def remove(data, forms):
        data[f"quotations-{forms[EDITORS]}-DELETE"] = "on"

    post_quotations(editor_client, imported, remove)
    assert EDITORS not in quotations(imported)
    url = f"/admin/articles/article/{imported.pk}/revisions/2/"
    opened = editor_client.get(url).context["restore_form"]["opened_version"].value()
    assert editor_client.post(url, {"opened_version": opened}).status_code == 302
    assert quotations(imported)[EDITORS] == ("khushal-sadat", "editor")
    assert len(quotations(imported)) == 4


def test_a_contributor_sees_but_cannot_change_a_published_articles_quotations(imported, client):
    client.force_login(user_in("Contributors"))
    response = client.get(f"/admin/articles/article/{imported.pk}/change/")
    assert response.status_code == 200
    assert TABAN in response.text
    inline = next(
        i for i in response.context["inline_admin_formsets"] if i.formset.prefix == "quotations"
    )
    assert not inline.has_change_permission


def test_the_quotation_list_links_each_to_its_article(imported, editor_client):
    response = editor_client.get("/admin/articles/quotation/?q=harboring")
    assert response.status_code == 200
    assert f"/admin/articles/article/{imported.pk}/change/" in response.text
    assert "Abbas Basir" in response.text and "Bismillah Taban" not in response.text
