"""Search: a text search configuration, two immutable folding functions, and the generated
columns and indexes built from them (see articles/search.py).

* ``newsarchive`` text search configuration: English, with ``unaccent`` before stemming for
  words with non-ASCII letters, so "Türkiye" and "Turkiye" index alike.
* ``newsarchive_search_text(text)``: Arabic-script letter variants unified (Arabic yeh and
  alef maksura → Farsi yeh, Arabic kaf → keheh, teh marbuta → heh) and harakat and tatweel
  dropped, the same letters articles.tagging.fold unifies. Used for the article search
  vector and for queries.
* ``newsarchive_fold(text)``: the above, then lower case, no diacritics, punctuation as
  single spaces: the form entity names and aliases are matched in.

``unaccent()`` is only STABLE (it reads a dictionary), so a generated column cannot call it
directly; these wrappers call the two-argument form with the dictionary named explicitly and
are declared IMMUTABLE, the usual safe pattern. The functions use SQL-standard bodies, so
their references are bound when created and do not depend on search_path. Changing either
function or the configuration later needs the generated columns recomputed (drop and re-add
the columns, or UPDATE ... SET name = name).
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import migrations, models
from django.db.models import F, Func

CREATE_SQL = r"""
CREATE TEXT SEARCH CONFIGURATION newsarchive (COPY = english);
ALTER TEXT SEARCH CONFIGURATION newsarchive
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem;

CREATE FUNCTION newsarchive_search_text(value text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    RETURN regexp_replace(
        translate(value, U&'\064A\0649\0643\0629', U&'\06CC\06CC\06A9\0647'),
        U&'[\064B-\065F\0670\0640]', '', 'g'
    );

CREATE FUNCTION newsarchive_fold(value text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    RETURN btrim(regexp_replace(
        lower(public.unaccent('public.unaccent'::regdictionary, newsarchive_search_text(value))),
        U&'[[:space:][:punct:]\00A0\00AB\00BB\200B-\200F\2010-\2015\2018-\201F\2026\2039\203A\060C\061B\061F\066A-\066C\06D4]+',
        ' ', 'g'
    ));
"""

DROP_SQL = """
DROP FUNCTION newsarchive_fold(text);
DROP FUNCTION newsarchive_search_text(text);
DROP TEXT SEARCH CONFIGURATION newsarchive;
"""


def folded_name(expression):
    return Func(expression, function="newsarchive_fold", output_field=models.TextField())


def search_text(expression):
    return Func(expression, function="newsarchive_search_text", output_field=models.TextField())


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
    ]

    operations = [
        migrations.RunSQL(CREATE_SQL, DROP_SQL),
        migrations.AddField(
            model_name="entity",
            name="search_name",
            field=models.GeneratedField(
                db_persist=True,
                expression=folded_name(F("name")),
                help_text="The name folded for search matching; computed by the database.",
                output_field=models.TextField(),
            ),
        ),
        migrations.AddField(
            model_name="alias",
            name="search_name",
            field=models.GeneratedField(
                db_persist=True,
                expression=folded_name(F("name")),
                help_text="The alias folded for search matching; computed by the database.",
                output_field=models.TextField(),
            ),
        ),
        migrations.AddField(
            model_name="article",
            name="search_vector",
            field=models.GeneratedField(
                db_persist=True,
                expression=(
                    SearchVector(search_text(F("title")), config="newsarchive", weight="A")
                    + SearchVector(search_text(F("standfirst")), config="newsarchive", weight="B")
                    + SearchVector(search_text(F("body")), config="newsarchive", weight="C")
                ),
                output_field=SearchVectorField(),
            ),
        ),
        migrations.AddIndex(
            model_name="entity",
            index=GinIndex(
                fields=["search_name"], name="entity_search_name_trgm", opclasses=["gin_trgm_ops"]
            ),
        ),
        migrations.AddIndex(
            model_name="alias",
            index=GinIndex(
                fields=["search_name"], name="alias_search_name_trgm", opclasses=["gin_trgm_ops"]
            ),
        ),
        migrations.AddIndex(
            model_name="article",
            index=GinIndex(fields=["search_vector"], name="article_search_vector"),
        ),
    ]
