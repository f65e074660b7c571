-- Quotations are read by public pages (article and person pages): a write to them renews
-- the archive's state like a write to the tables of archive_state.sql, by the same
-- function. In a file of its own, since the table is newer than that file's first reader.
CREATE OR REPLACE TRIGGER articles_quotation_notes_archive_write
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON articles_quotation
    FOR EACH STATEMENT EXECUTE FUNCTION articles_note_archive_write();
