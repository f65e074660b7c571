import datetime
from pathlib import Path

import pytest
from django.db import IntegrityError, connection

from articles.dates import DatePrecision, format_range, format_with_precision
from articles.models import Article, Entity
from tests.support.factories import make_article, make_entity

ROOT = Path(__file__).resolve().parents[2]
NOV_30 = datetime.date(2025, 11, 30)


@pytest.mark.parametrize(
    ("precision", "expected"),
    [
        (DatePrecision.DAY, "30 November 2025"),
        (DatePrecision.EARLY_MONTH, "early November 2025"),
        (DatePrecision.MID_MONTH, "mid-November 2025"),
        (DatePrecision.LATE_MONTH, "late November 2025"),
        (DatePrecision.MONTH, "November 2025"),
        (DatePrecision.YEAR, "2025"),
    ],
)
def test_dates_are_shown_with_their_precision(precision, expected):
    assert format_with_precision(NOV_30, precision) == expected


D = datetime.date


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ((D(2025, 10, 19), "day"), (None, "day"), "19 October 2025"),
        ((D(2025, 10, 11), "day"), (D(2025, 10, 12), "day"), "11–12 October 2025"),
        ((D(2025, 10, 25), "day"), (D(2025, 11, 1), "month"), "25 October – November 2025"),
        ((D(2025, 3, 30), "day"), (D(2025, 4, 2), "day"), "30 March – 2 April 2025"),
        ((D(2024, 12, 30), "day"), (D(2025, 1, 2), "day"), "30 December 2024 – 2 January 2025"),
        ((D(2025, 11, 21), "late_month"), (None, "day"), "late November 2025"),
        (
            (D(2025, 11, 1), "early_month"),
            (D(2025, 12, 1), "month"),
            "early November 2025 – December 2025",
        ),
        ((D(2025, 10, 19), "day"), (D(2025, 10, 19), "day"), "19 October 2025"),
    ],
)
def test_periods_are_shown_as_ranges_with_their_precision(start, end, expected):
    assert format_range(*start, *end) == expected


@pytest.mark.django_db
@pytest.mark.parametrize(
    "fields",
    [
        {"kind": "place", "latitude": 91, "longitude": 0},
        {"kind": "place", "latitude": 0, "longitude": -181},
        {"kind": "place", "latitude": 10},
        {"kind": "person", "latitude": 10, "longitude": 10},
        {"kind": "person", "start_date": NOV_30},
        {"kind": "event", "start_date": NOV_30, "end_date": datetime.date(2025, 1, 1)},
        {"kind": "alien"},
    ],
)
def test_the_database_refuses_impossible_entities(fields):
    with pytest.raises(IntegrityError):
        Entity.objects.create(name="X", slug="x", **fields)


@pytest.mark.django_db
def test_slugs_are_unique_per_kind():
    make_entity(Entity.Kind.PLACE, "Khost", slug="khost")
    make_entity(Entity.Kind.EVENT, "Khost", slug="khost", start_date=NOV_30)
    with pytest.raises(IntegrityError):
        make_entity(Entity.Kind.PLACE, "Khost again", slug="khost")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "fields",
    [{"status": "archived"}, {"status": "published", "published_at": None}],
)
def test_the_database_refuses_impossible_articles(fields):
    with pytest.raises(IntegrityError):
        make_article(**fields)


@pytest.mark.django_db
def test_article_slugs_are_unique():
    make_article(slug="same")
    with pytest.raises(IntegrityError):
        make_article(slug="same")


def test_reading_time_rounds_up_at_two_hundred_words_a_minute():
    assert Article(body="word " * 201).reading_minutes == 2
    assert Article(body="").reading_minutes == 1


def test_right_to_left_languages_are_recognised():
    assert Article(language="ps").is_right_to_left
    assert Article(language="fa-AF").is_right_to_left
    assert not Article(language="en").is_right_to_left


def test_inferred_fields_are_summarised_in_words():
    assert Article(inferred_fields=["title"]).inferred_summary == "title"
    summary = Article(inferred_fields=["title", "source", "date_precision"]).inferred_summary
    assert summary == "title, source and date precision"


def toasted(table: str) -> tuple[int, int]:
    """How many values the table's TOAST relation holds, and their bytes."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltoastrelid::regclass FROM pg_class WHERE relname = %s", [table])
        (toast,) = cursor.fetchone()
        cursor.execute(
            f"SELECT count(DISTINCT chunk_id), coalesce(sum(length(chunk_data)), 0) FROM {toast}"  # noqa: S608 (a catalog name)
        )
        return cursor.fetchone()


@pytest.mark.django_db
def test_an_articles_search_vector_stays_in_its_row():
    """Migration 0013: a search reads the vectors of hundreds of candidates, so an article
    of ordinary length (the seed's 4,000 characters) keeps its vector, and its body, in
    its row; only what cannot fit a page goes out of line. Migration 0029: its pair vector,
    read from its index, is the one value out of line."""
    seed = (ROOT / "seeds" / "000_cd8e701d099983cf.txt").read_text(encoding="utf-8")
    article = make_article(title="The seed", standfirst="Its first lines.", body=seed)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_column_size(pair_vector) FROM articles_article WHERE id = %s", [article.pk]
        )
        (pair_bytes,) = cursor.fetchone()
    assert toasted("articles_article") == (1, pair_bytes)
    make_article(title="A long report", body=" ".join(f"term{n}" for n in range(20_000)))
    assert toasted("articles_article")[0] > 2
