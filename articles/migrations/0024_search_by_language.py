"""Each article's language decides how its text is indexed (docs/search.md): English with
the English configuration (stems), every other language, Pashto, Dari and Urdu among
them, word for word (newsarchive_simple, in text.sql); a search reads its words both ways
(newsarchive_query, in search.sql).

The search and head vectors were generated columns of one configuration, and PostgreSQL 15
changes a generated column's expression only by rewriting the table. They become plain
columns (DROP EXPRESSION changes the catalogue only: each row keeps its vector) kept by a
trigger on every write (TRIGGER_SQL, with the functions of vectors.sql), which computes an
English article's vectors exactly as the generated columns did. The lock this takes on the articles is held for a moment,
and waited for at most 10 seconds (then the migration fails, to be run again): nothing
reads or writes every row.

The existing articles in other languages, and those with Arabic script, keep the vectors
they were written with until `manage.py reindex_search` rewrites them, in batches
(docs/search.md): until then they are found as before.

Undoing it rewrites the table (the columns generated again, and their indexes rebuilt).
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import migrations

from articles.db.sql_files import run_sql_file

PLAIN_COLUMNS = """
ALTER TABLE articles_article
    ALTER COLUMN search_vector DROP EXPRESSION,
    ALTER COLUMN head_vector DROP EXPRESSION;
"""

_HEAD = (
    "setweight(to_tsvector('newsarchive'::regconfig,"
    " COALESCE(newsarchive_search_text((title)::text), ''::text)), 'A'::\"char\")"
    " || setweight(to_tsvector('newsarchive'::regconfig,"
    " COALESCE(newsarchive_search_text(standfirst), ''::text)), 'B'::\"char\")"
)
_BODY = (
    "setweight(to_tsvector('newsarchive'::regconfig,"
    " COALESCE(newsarchive_search_text(body), ''::text)), 'C'::\"char\")"
)
GENERATED_COLUMNS = f"""
SET LOCAL statement_timeout = 0;
DROP INDEX IF EXISTS article_search_rum;
DROP INDEX IF EXISTS article_head_vector;
ALTER TABLE articles_article DROP COLUMN search_vector, DROP COLUMN head_vector;
ALTER TABLE articles_article
    ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (({_HEAD}) || {_BODY}) STORED,
    ADD COLUMN head_vector tsvector GENERATED ALWAYS AS ({_HEAD}) STORED;
ALTER TABLE articles_article ALTER COLUMN search_vector SET STORAGE MAIN;
CREATE INDEX article_search_rum ON articles_article USING rum (search_vector rum_tsvector_ops);
CREATE INDEX article_head_vector ON articles_article USING gin (head_vector);
"""

# The trigger as this migration made it (vector_trigger.sql holds today's, which a later
# migration made).
TRIGGER_SQL = """
CREATE OR REPLACE FUNCTION articles_article_vectors() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.head_vector := newsarchive_head_vector(NEW.language, NEW.title, NEW.standfirst);
    NEW.search_vector := NEW.head_vector || setweight(
        to_tsvector(newsarchive_config(NEW.language), coalesce(newsarchive_search_text(NEW.body), '')),
        'C'
    );
    RETURN NEW;
END
$$;

CREATE OR REPLACE TRIGGER articles_article_vectors
    BEFORE INSERT OR UPDATE OF title, standfirst, body, language, search_vector, head_vector
    ON articles_article
    FOR EACH ROW EXECUTE FUNCTION articles_article_vectors();
"""

UNDO_VECTORS_SQL = """
DROP TRIGGER IF EXISTS articles_article_vectors ON articles_article;
DROP FUNCTION IF EXISTS articles_article_vectors();
DROP FUNCTION IF EXISTS newsarchive_with_pairs(tsvector);
DROP FUNCTION IF EXISTS newsarchive_search_vector(text, text, text, text);
DROP FUNCTION IF EXISTS newsarchive_head_vector(text, text, text);
DROP FUNCTION IF EXISTS newsarchive_config(text);
"""

UNDO_SEARCH_SQL = """
DROP FUNCTION IF EXISTS newsarchive_query(text, text);
DROP FUNCTION IF EXISTS newsarchive_lexeme_query(text);
"""


class Migration(migrations.Migration):
    dependencies = [("articles", "0023_one_arabic_folding")]

    operations = [
        migrations.RunSQL("SET LOCAL lock_timeout = '10s'", migrations.RunSQL.noop),
        run_sql_file("text.sql"),
        run_sql_file("search.sql", reverse_sql=UNDO_SEARCH_SQL),
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunSQL(PLAIN_COLUMNS, GENERATED_COLUMNS)],
            state_operations=[
                migrations.AlterField(
                    model_name="article",
                    name="search_vector",
                    field=SearchVectorField(editable=False, null=True),
                ),
                migrations.AlterField(
                    model_name="article",
                    name="head_vector",
                    field=SearchVectorField(editable=False, null=True),
                ),
            ],
        ),
        run_sql_file("vectors.sql", reverse_sql=UNDO_VECTORS_SQL),
        migrations.RunSQL(TRIGGER_SQL, migrations.RunSQL.noop),
    ]
