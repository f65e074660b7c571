"""Headline rankings: a name in most headlines has them ranked once, kept ranked on every
write, and a search for it reads them in the order it would have ranked them itself."""

import datetime

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import F
from django.utils import timezone

from articles.models import Alias, Article, HeadlineRank, HeadlineRanking
from articles.search.criteria import Criteria
from articles.search.headline_rankings import rank_headlines
from articles.search.results import search
from tests.support.factories import make_article, make_entity


@pytest.fixture
def taliban(db, monkeypatch):
    """The Taliban, named in headlines and standfirsts every way a ranking tells apart:
    once, twice, by two names, in the standfirst alone; and in a body, a draft, a
    translation of an article that names them too."""
    monkeypatch.setattr(settings, "ARTICLES_PER_PAGE", 4)
    entity = make_entity(
        kind="organisation", name="Taliban", aliases=["Taleban", "Islamic Emirate"]
    )
    headlines = [
        ("Taliban envoys meet", "", 9),
        ("Taleban envoys meet", "", 2),
        ("Taliban talks resume", "The Taliban said so.", 4),
        ("Islamic Emirate and Taliban", "", 7),
        ("Border talks", "Taliban officials came.", 3),
        ("Border shelling", "Taleban fighters fired, the Taliban said.", 6),
        ("Taliban reply", "", 1),
        ("Taliban again", "", 1),
        ("Trade resumes", "", 5),
    ]
    for title, standfirst, days_ago in headlines:
        make_article(
            title=title,
            standfirst=standfirst,
            body="The Taliban spoke." if title == "Trade resumes" else "Talks went on.",
            tags=[entity],
            days_ago=days_ago,
        )
    make_article(
        title="Taliban draft", tags=[entity], status=Article.Status.DRAFT, published_at=None
    )
    original = Article.objects.get(title="Taliban reply")
    make_article(title="Taliban reply, translated", translation_of=original, language="ps")
    return entity


def every_page(text: str) -> list[str]:
    titles, number = [], 1
    while True:
        page = search(Criteria(text=text), number).page
        titles += [article.title for article in page.object_list]
        if not page.has_next():
            return titles
        number += 1


def ranks(ranking: HeadlineRanking) -> set[tuple]:
    return set(
        HeadlineRank.objects.filter(ranking=ranking).values_list(
            "article_id", "distance", "published_at"
        )
    )


def ranked_as_now(ranking: HeadlineRanking) -> set[tuple]:
    """Every article whose head vector matches the ranking's query, as it would be ranked."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, (head_vector <=> %s::tsquery)::float8, published_at FROM articles_article"
            " WHERE head_vector @@ %s::tsquery",
            [ranking.query, ranking.query],
        )
        return set(cursor.fetchall())


def test_a_ranked_name_is_searched_in_the_order_it_was_unranked(taliban):
    unranked = every_page("Taliban")
    assert unranked[0] == "Islamic Emirate and Taliban"
    assert "Taliban draft" not in unranked and "Taliban reply, translated" not in unranked
    report = rank_headlines(min_headlines=1)
    assert report.built == [("Taliban", 9)]
    assert every_page("Taliban") == unranked
    assert every_page("Taleban") == unranked


def test_a_ranked_name_reads_its_headlines_off_the_ranking(taliban):
    rank_headlines(min_headlines=1)
    last = Article.objects.get(title="Trade resumes")  # its body alone names them
    first = every_page("Taliban")[0]
    oldest = Article.objects.get(title="Taliban envoys meet")
    HeadlineRank.objects.filter(article=oldest).update(distance=0)
    pages = every_page("Taliban")
    assert pages[:2] == ["Taliban envoys meet", first]
    assert pages[-1] == last.title


def test_the_ranking_follows_every_write(taliban):
    rank_headlines(min_headlines=1)
    ranking = HeadlineRanking.objects.get()
    assert ranks(ranking) == ranked_as_now(ranking)
    Article.objects.bulk_create(
        [
            Article(title="Taliban in Doha", slug="doha", body="x", published_at=timezone.now()),
            Article(title="Nothing new", slug="nothing", body="x", published_at=timezone.now()),
        ]
    )
    renamed = Article.objects.get(title="Taliban again")
    renamed.title = "Kabul again"
    renamed.save()
    named = Article.objects.get(title="Trade resumes")
    named.standfirst = "The Taleban agreed."
    named.save()
    Article.objects.filter(title="Taliban reply").update(
        published_at=F("published_at") - datetime.timedelta(days=30)
    )
    Article.objects.filter(title="Taleban envoys meet").delete()
    Article.objects.filter(title="Taliban draft").update(
        status=Article.Status.PUBLISHED, published_at=timezone.now()
    )
    Article.objects.filter(title="Border talks").update(status=Article.Status.DRAFT)
    assert ranks(ranking) == ranked_as_now(ranking)
    titles = set(
        HeadlineRank.objects.filter(ranking=ranking).values_list("article__title", flat=True)
    )
    assert {"Taliban in Doha", "Trade resumes"} <= titles
    assert not {"Kabul again", "Taleban envoys meet", "Nothing new"} & titles
    found = every_page("Taliban")
    assert "Taliban draft" in found and "Border talks" not in found


def test_a_name_whose_aliases_changed_is_ranked_as_it_is_searched_until_ranked_again(taliban):
    rank_headlines(min_headlines=1)
    make_article(title="Talebaan statement", tags=[taliban], days_ago=1)
    Alias.objects.create(entity=taliban, name="Talebaan")
    found = every_page("Taliban")
    assert "Talebaan statement" in found[:4]
    report = rank_headlines(min_headlines=1)
    assert report.dropped == ["Taliban"] and report.built == [("Taliban", 10)]
    assert every_page("Taliban") == found
    assert HeadlineRanking.objects.count() == 1


def test_only_names_in_enough_headlines_are_ranked(taliban):
    report = rank_headlines(min_headlines=10)
    assert report.built == [] and not HeadlineRanking.objects.exists()
    rank_headlines(min_headlines=9)
    # Still tagged in nine articles, named in three headlines: fewer than half.
    kept = ["Islamic Emirate and Taliban", "Border talks", "Border shelling"]
    Article.objects.exclude(title__in=kept).update(title="Renamed", standfirst="")
    report = rank_headlines(min_headlines=9)
    assert report.dropped == ["Taliban"] and not HeadlineRanking.objects.exists()


def test_the_command_says_what_it_ranked(taliban, capsys):
    call_command("rank_headlines", "--min-headlines", "1")
    out = capsys.readouterr()
    assert "1 built: Taliban (9 headlines)" in out.out
    assert "ranked 9 headlines for Taliban" in out.err
    call_command("rank_headlines", "--min-headlines", "1")
    assert "0 built; 1 kept, 0 dropped" in capsys.readouterr().out
    with pytest.raises(CommandError, match="at least 1"):
        call_command("rank_headlines", "--min-headlines", "0")
