"""A re-import never silently undoes an editor's work: an article or entity changed in the
admin since its file was last imported is refused by name, unless the import is told which
side wins; even then the editor's publication decision and tags stand."""

import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from articles.models import Article, Entity, Mention, RemovedTag
from tests.conftest import SEED_FILE, SEEDS
from tests.support.admin_forms import changeform_data
from tests.support.factories import database_snapshot

SENTENCE = "Khost and Jalalabad"
CHANGED_SENTENCE = "Khowst and Kandahar"


@pytest.fixture
def seed_folder(tmp_path):
    return Path(shutil.copytree(SEEDS, tmp_path / "seeds"))


def run_import(*args, **options):
    out, err = StringIO(), StringIO()
    try:
        call_command("import_articles", *map(str, args), stdout=out, stderr=err, **options)
    except CommandError as error:
        return False, out.getvalue(), err.getvalue() + str(error)
    return True, out.getvalue(), err.getvalue()


def edit_in_admin(client, article, **changes):
    """Saves the article's admin form as an editor would, with ``changes``; ``tags``
    (slugs) replaces its tags."""
    url = f"/admin/articles/article/{article.pk}/change/"
    data = changeform_data(client.get(url))
    tags = changes.pop("tags", None)
    data |= changes
    if tags is not None:
        wanted = set(tags)
        mentions = list(article.mentions.select_related("entity").order_by("id"))
        data["remove_tags"] = [str(m.entity_id) for m in mentions if m.entity.slug not in wanted]
        existing = {m.entity.slug for m in mentions}
        data["add_tags"] = "\n".join(
            f"{Entity.objects.get(slug=slug).kind}:{slug}" for slug in tags if slug not in existing
        )
    response = client.post(url, data)
    assert response.status_code == 302, [
        response.context["adminform"].form.errors,
        *(
            ([e for e in inline.formset.errors if e], inline.formset.non_form_errors())
            for inline in response.context["inline_admin_formsets"]
        ),
    ]


def restore_in_admin(client, article, number):
    url = f"/admin/articles/article/{article.pk}/revisions/{number}/"
    opened = client.get(url).context["restore_form"]["opened_version"].value()
    assert client.post(url, {"opened_version": opened}).status_code == 302


def change_seed_text(folder):
    seed = folder / SEED_FILE.name
    seed.write_text(seed.read_text().replace(SENTENCE, CHANGED_SENTENCE))


def slugs(article):
    return set(article.mentions.values_list("entity__slug", flat=True))


@pytest.fixture
def edited_seed(db, editor_client, seed_folder):
    """The seed imported, then edited by an editor: title, body, status back to draft, one
    tag removed (Kabul, which the text names) and one added (Chaman, which it does not)."""
    run_import(seed_folder)
    article = Article.objects.get()
    tags = (slugs(article) - {"kabul"}) | {"chaman"}
    edit_in_admin(
        editor_client,
        article,
        title="An editor's title",
        body=article.body + "\n\nAn editor's paragraph.",
        status="draft",
        tags=sorted(tags),
    )
    article.refresh_from_db()
    assert article.status == "draft" and "kabul" not in slugs(article)
    return article


def test_a_reimport_of_a_changed_file_refuses_an_article_an_editor_changed(
    edited_seed, seed_folder
):
    before = database_snapshot()
    change_seed_text(seed_folder)
    done, _, err = run_import(seed_folder)
    assert not done
    assert SEED_FILE.name in err
    assert "its article was edited since its last import (by editors" in err
    assert "up to revision 2: title, body" in err
    assert "the file changes body" in err
    assert "--overwrite-edited" in err and "--skip-edited" in err
    assert database_snapshot() == before


def test_skip_edited_keeps_the_editors_version_and_imports_the_rest(edited_seed, seed_folder):
    change_seed_text(seed_folder)
    (seed_folder / "other.md").write_text("---\ntitle: Other news\n---\n\nIn Doha.\n")
    before = Article.objects.values().get(pk=edited_seed.pk)
    done, out, _ = run_import(seed_folder, "--skip-edited")
    assert done
    assert "1 created, 0 updated, 0 unchanged, 1 kept as edited" in out
    assert Article.objects.values().get(pk=edited_seed.pk) == before
    assert Article.objects.filter(source_file="other.md").exists()


def test_overwrite_edited_takes_the_files_text_but_not_the_editors_decisions(
    edited_seed, seed_folder, client
):
    change_seed_text(seed_folder)
    done, out, _ = run_import(seed_folder, "--overwrite-edited")
    assert done and "0 created, 1 updated" in out
    article = Article.objects.get()
    assert CHANGED_SENTENCE in article.body and "An editor's paragraph" not in article.body
    assert article.title != "An editor's title"
    assert article.status == "draft"
    assert client.get(article.get_absolute_url()).status_code == 404
    tags = slugs(article)
    assert "chaman" in tags and "kandahar" in tags
    assert "kabul" not in tags
    assert article.mentions.get(entity__slug="chaman").origin == Mention.Origin.EDITOR
    assert article.imported_version == article.version


def test_an_editors_tags_survive_later_reimports_of_an_unedited_article(edited_seed, seed_folder):
    change_seed_text(seed_folder)
    run_import(seed_folder, "--overwrite-edited")
    seed = seed_folder / SEED_FILE.name
    seed.write_text(seed.read_text().replace(CHANGED_SENTENCE, "Khost and Kandahar"))
    done, out, _ = run_import(seed_folder)
    assert done and "0 created, 1 updated" in out
    article = Article.objects.get()
    assert "chaman" in slugs(article) and "kabul" not in slugs(article)
    assert RemovedTag.objects.filter(article=article, entity__slug="kabul").exists()


def test_an_unchanged_file_leaves_an_edited_article_alone(edited_seed, seed_folder):
    before = database_snapshot()
    done, out, _ = run_import(seed_folder)
    assert done and "0 updated, 1 unchanged" in out
    assert database_snapshot() == before


def test_an_article_nobody_edited_is_updated_as_before(db, seed_folder):
    run_import(seed_folder)
    change_seed_text(seed_folder)
    done, out, _ = run_import(seed_folder)
    assert done and "0 created, 1 updated" in out
    assert "kandahar" in slugs(Article.objects.get())


def test_a_dry_run_reports_the_conflict_too(edited_seed, seed_folder):
    change_seed_text(seed_folder)
    done, _, err = run_import(seed_folder, dry_run=True)
    assert not done and "edited since its last import" in err


def test_the_two_choices_cannot_be_combined(db, seed_folder):
    done, _, err = run_import(seed_folder, "--skip-edited", "--overwrite-edited")
    assert not done and "--overwrite-edited: not allowed with argument --skip-edited" in err


def test_a_restore_counts_as_an_edit_by_what_it_leaves(db, editor_client, seed_folder):
    run_import(seed_folder)
    article = Article.objects.get()
    edit_in_admin(editor_client, article, title="Second title")
    edit_in_admin(editor_client, article, body="A body of the editors' own.")
    restore_in_admin(editor_client, article, 2)
    change_seed_text(seed_folder)
    done, _, err = run_import(seed_folder)
    assert not done and "up to revision 4: title);" in err


def test_an_article_restored_to_its_import_is_updated(db, editor_client, seed_folder):
    run_import(seed_folder)
    article = Article.objects.get()
    edit_in_admin(editor_client, article, title="Second title")
    restore_in_admin(editor_client, article, 1)
    change_seed_text(seed_folder)
    done, out, _ = run_import(seed_folder)
    assert done and "0 created, 1 updated" in out


def change_khost(folder, description):
    places = folder / "gazetteer" / "places.yaml"
    text = places.read_text()
    start = text.index("slug: khost")
    line_start = text.index("description:", start)
    line_end = text.index("\n", line_start)
    places.write_text(text[:line_start] + f"description: {description}" + text[line_end:])


def test_a_changed_gazetteer_record_refuses_an_entity_an_editor_changed(
    db, editor_client, seed_folder
):
    run_import(seed_folder)
    khost = Entity.objects.get(kind="place", slug="khost")
    khost.description = "An editor's description."
    khost.save()
    change_khost(seed_folder, "A province in south-eastern Afghanistan.")
    before = database_snapshot()
    done, _, err = run_import(seed_folder)
    assert not done
    assert "places.yaml" in err and "place 'khost'" in err
    assert "was edited since its last import (description)" in err
    assert "the file changes description" in err
    assert database_snapshot() == before

    done, _, _ = run_import(seed_folder, "--skip-edited")
    khost.refresh_from_db()
    assert done and khost.description == "An editor's description."

    done, _, _ = run_import(seed_folder, "--overwrite-edited")
    khost.refresh_from_db()
    assert done and khost.description == "A province in south-eastern Afghanistan."
    change_khost(seed_folder, "Khost province.")
    done, _, _ = run_import(seed_folder)
    khost.refresh_from_db()
    assert done and khost.description == "Khost province."


def change_event_description(folder, slug, description):
    events = folder / "gazetteer" / "events.yaml"
    text = events.read_text()
    at = text.index("description:", text.index(f"slug: {slug}"))
    events.write_text(text[:at] + f"description: {description}" + text[text.index("\n", at) :])


def test_links_an_editor_added_to_an_event_survive_a_reimport(db, seed_folder):
    run_import(seed_folder)
    event = Entity.objects.get(kind="event", slug="doha-ceasefire-2025")
    kabul = Entity.objects.get(kind="place", slug="kabul")
    event.places.add(kabul)
    change_event_description(seed_folder, "doha-ceasefire-2025", "Changed by the file.")
    done, out, _ = run_import(seed_folder)
    event.refresh_from_db()
    assert done and "Entities: 0 created, 1 updated" in out
    assert event.description == "Changed by the file."
    assert set(event.places.values_list("slug", flat=True)) == {"doha", "qatar", "kabul"}


def test_a_link_an_editor_removed_from_an_event_refuses_a_reimport(db, seed_folder):
    run_import(seed_folder)
    event = Entity.objects.get(kind="event", slug="doha-ceasefire-2025")
    event.places.remove(Entity.objects.get(kind="place", slug="qatar"))
    change_event_description(seed_folder, "doha-ceasefire-2025", "Changed by the file.")
    done, _, err = run_import(seed_folder)
    assert not done and "was edited since its last import (places)" in err
    done, _, _ = run_import(seed_folder, "--overwrite-edited")
    assert done and event.places.filter(slug="qatar").exists()


def test_an_entity_written_in_the_admin_is_not_overwritten_by_a_gazetteer(db, tmp_path):
    make = Entity.objects.create
    make(kind="person", name="Amina Khan", slug="amina-khan", role="An editor's role")
    (tmp_path / "people.yaml").write_text(
        "kind: person\nentities:\n  - name: Amina Khan\n    role: Spokeswoman\n"
    )
    done, _, err = run_import(tmp_path)
    assert not done and "person 'amina-khan' was written in the admin" in err
    assert "the file gives other role" in err


def test_the_admin_upload_offers_the_same_choice(edited_seed, editor_client):
    text = (SEEDS / SEED_FILE.name).read_text().replace(SENTENCE, CHANGED_SENTENCE)
    sidecar = (SEEDS / SEED_FILE.name.replace(".txt", ".meta.yaml")).read_bytes()
    files = [
        SimpleUploadedFile(SEED_FILE.name, text.encode()),
        SimpleUploadedFile(SEED_FILE.name.replace(".txt", ".meta.yaml"), sidecar),
    ]
    url = "/admin/articles/article/import/"
    refused = editor_client.post(url, {"files": files})
    assert "Nothing was imported" in refused.text
    assert "edited since its last import" in refused.text
    for upload in files:
        upload.seek(0)
    done = editor_client.post(url, {"files": files, "edited": "overwrite"})
    assert "updated" in done.text
    article = Article.objects.get()
    assert CHANGED_SENTENCE in article.body and article.status == "draft"


def test_every_conflict_is_reported_at_once(edited_seed, seed_folder):
    khost = Entity.objects.get(kind="place", slug="khost")
    khost.description = "An editor's description."
    khost.save()
    change_khost(seed_folder, "A province in south-eastern Afghanistan.")
    change_seed_text(seed_folder)
    done, _, err = run_import(seed_folder)
    assert not done
    assert "place 'khost' was edited" in err and "its article was edited" in err
    assert "Import refused: 2 bad file(s)" in err


def test_a_restore_that_drops_a_tag_records_its_removal(db, editor_client, seed_folder):
    run_import(seed_folder)
    article = Article.objects.get()
    edit_in_admin(editor_client, article, tags=sorted(slugs(article) | {"chaman"}))
    restore_in_admin(editor_client, article, 1)
    assert "chaman" not in slugs(article)
    assert RemovedTag.objects.filter(article=article, entity__slug="chaman").exists()
    restore_in_admin(editor_client, article, 2)
    assert not RemovedTag.objects.filter(article=article).exists()
