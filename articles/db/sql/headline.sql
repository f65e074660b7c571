-- Search results' passages: ts_headline over the part of a text around its first match.
--
-- ts_headline parses the whole text it is given, so highlighting a page of long articles
-- cost a third of a search's SQL. Besides ts_headline's arguments, the function is given
-- the beginnings of the words searched for (lower case, separated by spaces) and the mark
-- that starts a match in a headline (its StartSel option). It finds the first place the
-- text holds one of them and highlights only the 1,200 characters around it, of which at
-- most 200 come before the match. Where the words found there do not match the query (a
-- word that only begins like it), or no beginning is found in a text or words with letters
-- that folding changes (accents, Arabic script: Türkiye matches Turkiye), it highlights the
-- whole text, as ts_headline does: the passage is the same kind of passage, found faster,
-- never a missing one. Where no beginning is found in a text without such letters, the
-- words matched the title, not the text (or, rarely, the text holds a form of a word that
-- does not begin as the word typed: army, armies): ts_headline gives the text's first
-- words, so it is given only its first 1,200 characters rather than parsing it all.
-- Called by articles/search/queries.py.
CREATE OR REPLACE FUNCTION newsarchive_headline(
    config regconfig, document text, query tsquery, starts text, mark text, options text
) RETURNS text
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE STRICT
AS $$
DECLARE
    lowered text;
    word text;
    found integer;
    first_match integer := 0;
    window_start integer;
    passage text;
    headline text;
BEGIN
    IF length(document) > 1200 THEN
        lowered := lower(document);
        FOREACH word IN ARRAY string_to_array(starts, ' ') LOOP
            found := strpos(lowered, word);
            IF found > 0 AND (first_match = 0 OR found < first_match) THEN
                first_match := found;
            END IF;
        END LOOP;
        IF first_match > 0 THEN
            -- Cut at spaces, so that the passage starts and ends with whole words.
            window_start := greatest(1, first_match - 200);
            IF window_start > 1 THEN
                window_start := window_start + strpos(substr(document, window_start, 200), ' ');
            END IF;
            passage := substr(document, window_start, 1200);
            IF window_start + 1200 <= length(document) THEN
                passage := left(passage, length(passage) - strpos(reverse(passage), ' '));
            END IF;
            headline := ts_headline(config, passage, query, options);
            IF strpos(headline, mark) > 0 THEN
                RETURN headline;
            END IF;
        ELSIF (document || starts) !~ '[\u00C0-\u024F\u0300-\u036F\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]' THEN
            RETURN ts_headline(config, left(document, 1200), query, options);
        END IF;
    END IF;
    RETURN ts_headline(config, document, query, options);
END
$$;
