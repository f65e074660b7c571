"""The synthetic benchmark corpus: manage.py generate_corpus (bench/corpus.py)."""

import statistics
from collections import Counter
from pathlib import Path
from unittest.mock import Mock

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from articles.importing.tagging import Tagger, article_text
from articles.models import Article, Entity, Mention
from bench import corpus
from bench.corpus import (
    CorpusGenerator,
    build_missing_text_indexes,
    generate_corpus,
    synthetic_articles,
)
from tests.support.factories import make_article

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def generate(count, **options):
    call_command("generate_corpus", count, verbosity=0, **options)


def snapshot():
    """What a reader sees of each synthetic article, with its tags."""
    return [
        (
            a.source_file, a.slug, a.title, a.standfirst, a.body, a.source_name, a.byline,
            a.language, a.published_at,
            sorted((m.entity.slug, m.count, m.origin) for m in a.mentions.all()),
        )
        for a in synthetic_articles().order_by("id").prefetch_related("mentions__entity")
    ]  # fmt: skip


def test_creates_published_articles_whose_text_names_their_tags(seeded):
    generate(200, seed=3)
    articles = synthetic_articles().prefetch_related("mentions__entity")
    assert articles.count() == 200
    assert Article.objects.published().filter(source_file__startswith="synthetic/").count() == 200
    assert sorted(a.source_file for a in articles) == sorted(
        f"synthetic/{n}.md" for n in range(1, 201)
    )
    tagger = Tagger.from_database()
    for article in articles:
        tags = {m.entity_id: m.count for m in article.mentions.all()}
        assert tags, article.source_file
        assert all(m.origin == Mention.Origin.TEXT for m in article.mentions.all())
        # Exactly what the tagger finds: every tag named as often as its count says.
        assert dict(tagger.count(article_text(article))) == tags, article.source_file
        assert 300 <= len(article.body.split()) <= 1_500
        assert "\n\n## " in article.body
        assert len(article.standfirst) < 250 and article.standfirst[-1] in ".۔"
    assert {a.language for a in articles} <= {"en", "fa-AF", "ps", "ur"}
    # 15% in the region's languages (LANGUAGE_SHARES), the rest English.
    languages = Counter(a.language for a in articles)
    assert 150 <= languages["en"] <= 190
    assert all(languages[code] for code in ("fa-AF", "ps", "ur"))
    assert {a.source_name for a in articles} <= set(corpus.SOURCES["en"])
    years = {a.published_at.year for a in articles}
    assert min(years) <= 2022 and max(years) == 2026


def test_tags_are_skewed_towards_the_core_entities(seeded):
    generate(200, seed=4)
    per_entity = Counter(
        Mention.objects.filter(article__source_file__startswith="synthetic/").values_list(
            "entity__slug", flat=True
        )
    )
    counts = [per_entity[slug] for slug in Entity.objects.values_list("slug", flat=True)]
    most_common = per_entity.most_common(4)
    assert {"afghanistan", "pakistan", "taliban"} <= {slug for slug, _ in most_common}
    assert most_common[0][1] > 100  # in more than half the articles
    assert most_common[0][1] >= 20 * max(1, statistics.median(counts))
    assert counts.count(0) > 10  # rare entities are in none of 200 articles


def test_same_seed_gives_the_same_articles(seeded):
    generate(40, seed=5)
    first = snapshot()
    generate(40, seed=5, replace=True)
    assert snapshot() == first
    generate(40, seed=6, replace=True)
    assert [row[2:5] for row in snapshot()] != [row[2:5] for row in first]


def test_replace_removes_only_the_previous_synthetic_articles(seeded):
    other = make_article(title="An editor's own story", tags=[Entity.objects.get(slug="khost")])
    untouched = {
        a.pk: (a.title, list(a.mentions.values_list("entity_id", "count"))) for a in (seeded, other)
    }
    generate(30, seed=1)
    generate(10, seed=1)  # more, numbered after the existing ones
    assert synthetic_articles().count() == 40
    assert synthetic_articles().filter(source_file="synthetic/40.md").exists()

    generate(20, seed=2, replace=True)
    assert sorted(synthetic_articles().values_list("source_file", flat=True)) == sorted(
        f"synthetic/{n}.md" for n in range(1, 21)
    )
    assert Article.objects.count() == 22
    assert Mention.objects.exclude(article__in=Article.objects.all()).count() == 0
    for article in Article.objects.filter(pk__in=untouched):
        assert untouched[article.pk] == (
            article.title,
            list(article.mentions.values_list("entity_id", "count")),
        )


def test_reports_what_it_did(seeded, capsys):
    call_command("generate_corpus", 12, "--seed", "9", "--batch-size", "5")
    out, err = capsys.readouterr()
    assert "Created 12 synthetic articles (synthetic/1.md to synthetic/12.md)" in out
    assert "seed 9" in out
    assert "5/12" in err and "12/12 (100%)" in err


def test_refuses_without_a_gazetteer(db):
    with pytest.raises(CommandError, match="import_articles seeds/"):
        generate(5)
    assert not Article.objects.exists()


@pytest.fixture
def seeded_committed(transactional_db):
    """The seeds, committed, so that the parallel workers' own connections see them."""
    call_command("import_articles", str(SEEDS), verbosity=0)


def test_parallel_workers_write_the_same_articles(seeded_committed):
    report = generate_corpus(25, seed=8, batch_size=4, workers=3)
    assert (report.created, report.workers, report.first_number) == (25, 3, 1)
    generator = CorpusGenerator.from_database(seed=8)
    for article in synthetic_articles().prefetch_related("mentions"):
        number = corpus.synthetic_number(article.source_file)
        expected = generator.article(number)
        assert article.body == expected.fields["body"]
        assert {m.entity_id: m.count for m in article.mentions.all()} == expected.mentions


def test_parallel_workers_all_roll_back_when_one_fails(seeded_committed, monkeypatch):
    write_batch = corpus.write_batch

    def failing(generator, numbers):
        if 13 in numbers:
            raise RuntimeError("disk full")
        return write_batch(generator, numbers)

    monkeypatch.setattr(corpus, "write_batch", failing)
    with pytest.raises(RuntimeError, match="disk full"):
        generate_corpus(30, batch_size=4, workers=2)
    assert not synthetic_articles().exists()
    assert not Mention.objects.filter(article__source_file__startswith="synthetic/").exists()


def text_indexes():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'articles_article' "
            "AND indexname IN ('article_search_rum', 'article_head_rum')"
        )
        return sorted(name for (name,) in cursor.fetchall())


def test_large_runs_write_without_the_text_indexes_and_build_them_after(
    seeded_committed, monkeypatch
):
    monkeypatch.setattr(corpus, "REBUILD_TEXT_INDEXES_AT", 10)
    write_batch, seen = corpus.write_batch, []

    def watched(generator, numbers):
        seen.append(text_indexes())
        return write_batch(generator, numbers)

    monkeypatch.setattr(corpus, "write_batch", watched)
    report = generate_corpus(12, batch_size=4, workers=2)
    assert seen == [[], [], []]
    assert text_indexes() == ["article_head_rum", "article_search_rum"]
    assert report.indexes_rebuilt_seconds > 0


def test_text_indexes_are_built_again_when_a_large_run_fails(seeded_committed, monkeypatch):
    monkeypatch.setattr(corpus, "REBUILD_TEXT_INDEXES_AT", 10)
    monkeypatch.setattr(corpus, "write_batch", Mock(side_effect=RuntimeError("disk full")))
    with pytest.raises(RuntimeError, match="disk full"):
        generate_corpus(12, batch_size=4, workers=2)
    assert text_indexes() == ["article_head_rum", "article_search_rum"]


def test_small_runs_keep_the_text_indexes_and_missing_ones_are_built(seeded_committed):
    generate_corpus(6, batch_size=4, workers=2)
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX article_search_rum")
    assert text_indexes() == ["article_head_rum"]
    build_missing_text_indexes()
    assert text_indexes() == ["article_head_rum", "article_search_rum"]
