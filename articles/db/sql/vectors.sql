-- Articles' search vectors: each article's language decides how its text is indexed
-- (docs/search.md). Read by migration 0024 and any later one that changes it.
--
-- The vectors were generated columns of one configuration; a generated column can only
-- read its own row's columns through an expression fixed when the column was made, and
-- PostgreSQL 15 changes that expression only by rewriting the table. They are plain
-- columns now, kept by the trigger below on every write, whatever writes (the admin, the
-- importer's COPY, re-tagging, SQL): as the generated columns were.

-- The text search configuration for a language (a BCP 47 code): English stems
-- (newsarchive); every other language, Pashto, Dari and Urdu among them, is indexed word
-- for word (newsarchive_simple). articles/search/languages.py says which codes are English.
CREATE OR REPLACE FUNCTION newsarchive_config(language text) RETURNS regconfig
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    RETURN CASE WHEN lower(split_part(language, '-', 1)) = 'en'
        THEN 'newsarchive'::regconfig ELSE 'newsarchive_simple'::regconfig END;

-- The headline (weight A) and standfirst (B) as a vector: what a search ranks the newest
-- articles by beside their whole text (articles/search/queries.py), and the editors' search.
CREATE OR REPLACE FUNCTION newsarchive_head_vector(language text, title text, standfirst text)
    RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN setweight(
        to_tsvector(newsarchive_config(language), coalesce(newsarchive_search_text(title), '')), 'A'
    ) || setweight(
        to_tsvector(newsarchive_config(language), coalesce(newsarchive_search_text(standfirst), '')),
        'B'
    );

-- The whole text: the head vector and the body (weight C).
CREATE OR REPLACE FUNCTION newsarchive_search_vector(
    language text, title text, standfirst text, body text
) RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN newsarchive_head_vector(language, title, standfirst) || setweight(
        to_tsvector(newsarchive_config(language), coalesce(newsarchive_search_text(body), '')), 'C'
    );

-- Written on every insert, and on every update of the text, the language or the vectors
-- themselves (a write to a vector is overwritten: they are the database's to keep).
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
