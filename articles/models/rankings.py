"""Rankings the database keeps: every headline naming one of the names in most headlines,
in the order a search for it ranks them (articles/search/headline_rankings.py)."""

from django.contrib.postgres.search import SearchQueryField
from django.db import models

from articles.models.articles import Article


class HeadlineRanking(models.Model):
    """The headlines (and standfirsts) matching one query, ranked once rather than on every
    search: a name's query (``key``: its alternatives, sorted) whose headline matches are
    too many to rank at each search. Its ranks are kept by database triggers on every
    write to an article's headline, standfirst or date (migration 0032), whatever makes it;
    built, and dropped once no name's query is its own, by rank_headlines."""

    key = models.TextField(unique=True)
    # The query as a search matches the head vector with it (its phrases as pairs).
    query = SearchQueryField()
    # What it was made for (an entity's name), for the reports.
    label = models.TextField()
    built_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.label


class HeadlineRank(models.Model):
    """An article whose headline or standfirst matches a ranking's query, and how far it is
    from the query (``head_vector <=> query``): the ranking's order is by distance, then
    newest first, then by id. Never written by Django."""

    pk = models.CompositePrimaryKey("ranking", "article")
    # (The primary key's index serves it.)
    ranking = models.ForeignKey(
        HeadlineRanking, on_delete=models.DB_CASCADE, db_index=False, related_name="ranks"
    )
    # Deleted with its article by the database (a constraint made by migration 0032: Django
    # cannot cascade in the database from a model it cascades from itself).
    article = models.ForeignKey(
        Article, on_delete=models.DO_NOTHING, db_constraint=False, related_name="headline_ranks"
    )
    distance = models.FloatField()
    # The article's, kept here so that the ranking's index gives its whole order.
    published_at = models.DateTimeField(null=True)

    class Meta:
        indexes = [
            models.Index(
                models.F("ranking"),
                models.F("distance"),
                models.F("published_at").desc(nulls_last=True),
                models.F("article").desc(),
                name="headline_rank_order",
            ),
        ]

    def __str__(self):
        return f"{self.ranking_id}: {self.article_id} at {self.distance}"
