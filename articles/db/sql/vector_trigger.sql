-- The trigger that keeps each article's search vectors (vectors.sql), on every write.
-- Read by migration 0029, which added the pair vector, and any later one that changes it.

-- Written on every insert, and on every update of the text, the language or the vectors
-- themselves (a write to a vector is overwritten: they are the database's to keep). The
-- search vector holds the words alone, in the row, for the searches that read each
-- candidate article (filtered by a place, say); the pair vector holds the words and their
-- pairs, out of the row (its index is what reads it), for phrases; the head vector holds
-- its words and pairs.
CREATE OR REPLACE FUNCTION articles_article_vectors() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    head tsvector := newsarchive_head_vector(NEW.language, NEW.title, NEW.standfirst);
BEGIN
    NEW.search_vector := head || setweight(
        to_tsvector(newsarchive_config(NEW.language), coalesce(newsarchive_search_text(NEW.body), '')),
        'C'
    );
    NEW.head_vector := newsarchive_with_pairs(head);
    NEW.pair_vector := newsarchive_with_pairs(NEW.search_vector);
    RETURN NEW;
END
$$;

CREATE OR REPLACE TRIGGER articles_article_vectors
    BEFORE INSERT OR UPDATE OF title, standfirst, body, language, search_vector, head_vector,
        pair_vector
    ON articles_article
    FOR EACH ROW EXECUTE FUNCTION articles_article_vectors();
