"""The headline rankings: for the names in most headlines, every headline matching the
name's query, ranked once and kept ranked by triggers on every write
(articles/db/sql/headline_rankings.sql; articles/search/headline_rankings.py). The tables
start empty: no article is written again, and searches go on as before until
rank_headlines builds a ranking.
"""

import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models

from articles.db.sql_files import run_sql_file


class Migration(migrations.Migration):
    dependencies = [("articles", "0031_any_of_phrases")]

    operations = [
        migrations.CreateModel(
            name="HeadlineRanking",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("key", models.TextField(unique=True)),
                ("query", django.contrib.postgres.search.SearchQueryField()),
                ("label", models.TextField()),
                ("built_at", models.DateTimeField(auto_now_add=True)),
            ],
        ),
        migrations.CreateModel(
            name="HeadlineRank",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "ranking",
                        "article",
                        blank=True,
                        editable=False,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                ("distance", models.FloatField()),
                ("published_at", models.DateTimeField(null=True)),
                (
                    "article",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="headline_ranks",
                        to="articles.article",
                    ),
                ),
                (
                    "ranking",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.DB_CASCADE,
                        related_name="ranks",
                        to="articles.headlineranking",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(
                        models.F("ranking"),
                        models.F("distance"),
                        models.OrderBy(models.F("published_at"), descending=True, nulls_last=True),
                        models.OrderBy(models.F("article"), descending=True),
                        name="headline_rank_order",
                    )
                ],
            },
        ),
        migrations.RunSQL(
            "ALTER TABLE articles_headlinerank ADD CONSTRAINT headline_rank_article"
            " FOREIGN KEY (article_id) REFERENCES articles_article (id) ON DELETE CASCADE",
            "ALTER TABLE articles_headlinerank DROP CONSTRAINT headline_rank_article",
        ),
        run_sql_file(
            "headline_rankings.sql",
            reverse_sql=[
                "DROP TRIGGER articles_article_headline_ranks_inserted ON articles_article",
                "DROP TRIGGER articles_article_headline_ranks_updated ON articles_article",
                "DROP FUNCTION articles_article_headline_ranks()",
                "DROP FUNCTION newsarchive_query_key(tsquery)",
            ],
        ),
    ]
