"""The names-to-add queue: capitalised names the gazetteer does not know, counted across
the archive as articles are imported, edited and deleted, never counted when read."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from articles.editorial.services import save_article
from articles.importing.names_queue import queue
from articles.importing.retagging import retag_pending
from articles.models import (
    Article,
    Entity,
    GazetteerChange,
    NameCandidate,
    NameOccurrence,
    NameSource,
    NameTally,
)
from tests.support.gazetteer_growth import import_articles, write_articles

pytestmark = pytest.mark.django_db


@pytest.fixture
def articles(seeded, tmp_path):
    imported = import_articles(tmp_path / "articles")
    GazetteerChange.objects.all().delete()
    return imported


def tally(name: str) -> NameTally:
    return NameTally.objects.get(candidate__key=name.lower())


def sources(name: str) -> dict[str, int]:
    return dict(
        NameSource.objects.filter(candidate__key=name.lower(), articles__gt=0).values_list(
            "source_name", "articles"
        )
    )


def day(number: int) -> datetime.datetime:
    return datetime.datetime(2025, 11, number, tzinfo=datetime.UTC)


def recounted() -> dict[str, int]:
    """Each name's articles, counted one by one."""
    return {
        c.key: NameOccurrence.objects.filter(candidate=c).count()
        for c in NameCandidate.objects.all()
    }


def kept() -> dict[str, int]:
    counts = dict(NameTally.objects.values_list("candidate__key", "articles"))
    return {c.key: counts.get(c.key, 0) for c in NameCandidate.objects.all()}


def test_imported_articles_count_their_unknown_names_with_sources_and_dates(articles):
    rawalpindi = tally("Rawalpindi")
    assert rawalpindi.articles == 3  # the draft too: the queue is the whole archive's
    assert (rawalpindi.first_seen, rawalpindi.last_seen) == (day(1), day(3))
    assert sources("Rawalpindi") == {"Dawn": 2, "The Express Tribune": 1}
    assert tally("Sher Zaman Market").articles == 2
    assert not NameCandidate.objects.filter(key__in=["khost", "asim munir", "islamabad"])
    assert kept() == recounted()


def test_the_queue_lists_the_most_used_names_first_with_their_top_sources(articles):
    rows = list(queue())
    assert [row.candidate.name for row in rows[:2]] == ["Rawalpindi", "Sher Zaman Market"]
    assert rows[0].top_sources == ["Dawn", "The Express Tribune"]
    assert rows[0].source_count == 2
    assert [row.candidate.name for row in queue("zaman")] == ["Sher Zaman Market"]


def test_an_edit_keeps_the_names_current(articles):
    garrison = Article.objects.get(pk=articles["garrison.md"].pk)
    garrison.body = "Corps commanders met in Murree."
    garrison.source_name = "Geo News"
    save_article(garrison, author=None, opened_version=garrison.version, comment="")
    assert tally("Rawalpindi").articles == 3  # its title still names it
    assert sources("Rawalpindi") == {"Geo News": 1, "Dawn": 1, "The Express Tribune": 1}
    assert tally("Sher Zaman Market").articles == 1
    assert tally("Murree").articles == 1
    assert kept() == recounted()


def test_a_deleted_article_takes_its_names_and_their_dates_with_it(articles):
    Article.objects.get(pk=articles["garrison.md"].pk).delete()
    rawalpindi = tally("Rawalpindi")
    assert rawalpindi.articles == 2
    assert (rawalpindi.first_seen, rawalpindi.last_seen) == (day(2), day(3))
    assert sources("Rawalpindi") == {"Dawn": 1, "The Express Tribune": 1}
    assert kept() == recounted()


def test_a_reimported_file_replaces_its_names(articles, tmp_path):
    folder = write_articles(tmp_path / "again")
    protest = folder / "protest.md"
    protest.write_text(protest.read_text().replace("Adiala Jail", "Central Jail"))
    call_command("import_articles", str(folder), verbosity=0)
    assert not NameTally.objects.filter(candidate__key="adiala jail", articles__gt=0)
    assert tally("Central Jail").articles == 1
    assert kept() == recounted()


def test_a_name_the_gazetteer_learns_leaves_the_queue(articles):
    Entity.objects.create(kind="place", name="Sher Zaman Market", slug="sher-zaman-market")
    retag_pending()
    assert not NameCandidate.objects.filter(key="sher zaman market").exists()
    Entity.objects.create(kind="place", name="Zaman", slug="zaman")
    retag_pending()
    assert "Rawalpindi" in [row.candidate.name for row in queue()]


def test_a_dismissed_name_stays_out_of_the_queue_however_it_grows(articles, tmp_path):
    candidate = NameCandidate.objects.get(key="sher zaman market")
    candidate.dismissed_at = timezone.now()
    candidate.save()
    assert "Sher Zaman Market" not in [row.candidate.name for row in queue()]
    folder = tmp_path / "more"
    folder.mkdir()
    (folder / "market.md").write_text(
        '---\ntitle: "Prices rise"\ndate: "2025-11-09"\n---\n\nAt Sher Zaman Market prices rose.\n'
    )
    call_command("import_articles", str(folder), verbosity=0)
    assert tally("Sher Zaman Market").articles == 3
    assert "Sher Zaman Market" not in [row.candidate.name for row in queue()]


def test_a_name_the_gazetteer_forgets_comes_back_to_the_queue(articles):
    khost = Entity.objects.get(slug="khost")
    khost.aliases.filter(name="Khowst").delete()
    retag_pending()
    assert tally("Khowst").articles == 1
