"""Every write of an article goes through one service (articles/editorial/services.py):
from the shell, a data migration or the admin alike, it refuses a save based on a version
someone else has saved over, records a revision, and notes the tags an editor removed.
Entities, which have no revisions, are refused in the same way."""

import shutil
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.utils import timezone

from articles.editorial.revisions import EditConflict
from articles.editorial.services import (
    EntityConflict,
    entity_fingerprint,
    save_article,
    save_entity,
)
from articles.models import Alias, Article, Entity, Mention, RemovedTag, Revision
from tests.conftest import SEEDS
from tests.support.factories import make_entity

pytestmark = pytest.mark.django_db


def new_article(**fields) -> Article:
    return Article(
        title="Torkham reopens",
        slug="torkham-reopens",
        body="Trucks waited at Torkham.",
        status=Article.Status.PUBLISHED,
        published_at=timezone.now(),
        **fields,
    )


def tag_with(*entities):
    """A ``write_related`` that tags the article with exactly ``entities``, as an editor."""

    def write(article):
        article.mentions.exclude(entity__in=entities).delete()
        Mention.objects.bulk_create(
            [Mention(article=article, entity=e, origin=Mention.Origin.EDITOR) for e in entities],
            ignore_conflicts=True,
        )

    return write


def test_a_save_from_plain_python_records_a_revision():
    article = new_article()
    first = save_article(article, author=None, opened_version=None, comment="From the shell")
    assert first == Article.objects.get(pk=article.pk).revisions.get()
    assert (first.number, first.comment, first.author) == (1, "From the shell", None)
    assert first.snapshot["title"] == "Torkham reopens"
    assert article.version == Article.objects.get(pk=article.pk).version == 1

    editor = User.objects.create_user("amina")
    article.title = "Torkham reopens after talks"
    second = save_article(article, author=editor, opened_version=1, comment="Retitled")
    assert (second.number, second.author, second.changed_fields) == (2, editor, ["title"])
    assert Article.objects.get(pk=article.pk).version == 2


def test_a_save_that_changes_nothing_records_no_revision():
    article = new_article()
    save_article(article, author=None, opened_version=None, comment="First")
    assert save_article(article, author=None, opened_version=1, comment="Again") is None
    assert article.revisions.count() == 1 and article.version == 1


@pytest.mark.parametrize("opened", [1, None])
def test_a_save_based_on_a_version_someone_saved_over_is_refused(opened):
    article = new_article()
    save_article(article, author=None, opened_version=None, comment="First")
    theirs = Article.objects.get(pk=article.pk)
    theirs.title = "Their title"
    save_article(theirs, author=None, opened_version=1, comment="Theirs")

    article.body = "My body."
    with pytest.raises(EditConflict) as refused:
        save_article(article, author=None, opened_version=opened, comment="Mine")
    assert refused.value.opened_version == opened
    stored = Article.objects.get(pk=article.pk)
    assert (stored.title, stored.body, stored.version) == ("Their title", theirs.body, 2)
    assert article.revisions.count() == 2


def test_the_related_rows_the_caller_writes_are_in_the_revision_and_removals_are_noted():
    khost, kabul = make_entity(name="Khost"), make_entity(name="Kabul")
    article = new_article()
    save_article(
        article, author=None, opened_version=None, comment="Tagged", write_related=tag_with(khost)
    )
    assert article.revisions.get().snapshot["tags"] == [[khost.pk, 0, "editor"]]

    revision = save_article(
        article, author=None, opened_version=1, comment="Retagged", write_related=tag_with(kabul)
    )
    assert revision.changed_fields == ["tags"]
    assert revision.snapshot["tags"] == [[kabul.pk, 0, "editor"]]
    assert list(RemovedTag.objects.values_list("article", "entity")) == [(article.pk, khost.pk)]

    # Tagged with Khost again, its removal is forgotten (and Kabul's noted).
    save_article(article, author=None, opened_version=2, comment="", write_related=tag_with(khost))
    assert list(RemovedTag.objects.values_list("article", "entity")) == [(article.pk, kabul.pk)]


def test_a_refused_save_writes_nothing_of_its_related_rows():
    khost = make_entity(name="Khost")
    article = new_article()
    save_article(article, author=None, opened_version=None, comment="First")
    with pytest.raises(EditConflict):
        save_article(
            article, author=None, opened_version=0, comment="", write_related=tag_with(khost)
        )
    assert not Mention.objects.exists()
    assert Revision.objects.count() == 1


def test_a_shell_edit_counts_for_reimports_as_an_admin_edit_does(tmp_path):
    """The importer numbers its revisions as the service does: an edit saved from plain
    Python after an import is an editor's change a re-import of a changed file refuses."""
    folder = tmp_path / "seeds"
    shutil.copytree(SEEDS, folder)
    call_command("import_articles", str(folder), verbosity=0)
    article = Article.objects.get(source_file__endswith=".txt")
    assert article.version == article.imported_version == 1

    article.title = "Retitled from the shell"
    revision = save_article(article, author=None, opened_version=1, comment="Shell")
    assert revision.number == 2

    text = next(folder.glob("*.txt"))
    text.write_text(text.read_text() + "\nOne more line.\n")
    err = StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("import_articles", str(folder), stdout=StringIO(), stderr=err)
    said = err.getvalue() + str(refused.value)
    assert "edited since its last import (by an unnamed writer, up to revision 2" in said
    call_command("import_articles", str(folder), "--overwrite-edited", verbosity=0)
    article.refresh_from_db()
    assert article.version == article.imported_version == 3
    assert list(article.revisions.values_list("number", flat=True)) == [3, 2, 1]


def test_an_entity_saved_over_since_its_writer_read_it_is_refused():
    khost = make_entity(Entity.Kind.PLACE, "Khost", description="A city.")
    opened = entity_fingerprint(khost)
    Alias.objects.create(entity=khost, name="Khowst")  # someone else's change

    khost.description = "Mine."
    with pytest.raises(EntityConflict):
        save_entity(khost, opened_state=opened)
    with pytest.raises(EntityConflict):
        save_entity(khost, opened_state=None)
    assert Entity.objects.get(pk=khost.pk).description == "A city."

    save_entity(
        khost,
        opened_state=entity_fingerprint(Entity.objects.get(pk=khost.pk)),
        write_related=lambda entity: Alias.objects.create(entity=entity, name="خوست"),
    )
    assert Entity.objects.get(pk=khost.pk).description == "Mine."
    assert set(khost.aliases.values_list("name", flat=True)) == {"Khowst", "خوست"}


def test_a_new_entity_needs_no_opened_state():
    entity = Entity(kind=Entity.Kind.PERSON, name="Amina Khan", slug="amina-khan")
    save_entity(entity, opened_state=None)
    assert Entity.objects.get(slug="amina-khan").name == "Amina Khan"
