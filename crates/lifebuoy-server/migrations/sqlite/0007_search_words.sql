-- Every distinct word of the full-text indexes, so that expanding a searched prefix into
-- the words it stands for (store/sqlite/search.rs) is a range seek. The indexes'
-- vocabularies (fts5vocab, migration 0006) answer the same question but walk the list of
-- every document of each word to count them: ~2 ms for a common word at 100,000 tickets.
--
-- A word is added in the same transaction as the text that brings it, whichever code path
-- writes, and never removed: a word no text holds any more only makes a search test one
-- word that matches nothing. Words are kept exactly as the indexes' tokenizer leaves them
-- (folded, without diacritics) because the tokenizer itself splits them: the text goes
-- through a scratch full-text table with the same tokenizer, whose vocabulary (one
-- document, so cheap to read) is copied here, and the scratch is emptied at once.
CREATE TABLE search_words (term TEXT PRIMARY KEY) WITHOUT ROWID;

CREATE VIRTUAL TABLE search_words_scratch USING fts5(
    a, b, content='', columnsize=0,
    tokenize='unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE search_words_scratch_terms USING fts5vocab(search_words_scratch, 'row');

INSERT INTO search_words (term)
    SELECT term FROM tickets_fts_terms UNION SELECT term FROM messages_fts_terms;

CREATE TRIGGER tickets_search_words_insert AFTER INSERT ON tickets BEGIN
    INSERT INTO search_words_scratch (rowid, a, b) VALUES (1, new.subject, new.description);
    INSERT OR IGNORE INTO search_words (term) SELECT term FROM search_words_scratch_terms;
    INSERT INTO search_words_scratch (search_words_scratch) VALUES ('delete-all');
END;
CREATE TRIGGER tickets_search_words_update AFTER UPDATE OF subject, description ON tickets BEGIN
    INSERT INTO search_words_scratch (rowid, a, b) VALUES (1, new.subject, new.description);
    INSERT OR IGNORE INTO search_words (term) SELECT term FROM search_words_scratch_terms;
    INSERT INTO search_words_scratch (search_words_scratch) VALUES ('delete-all');
END;
CREATE TRIGGER messages_search_words_insert AFTER INSERT ON messages BEGIN
    INSERT INTO search_words_scratch (rowid, a) VALUES (1, new.body);
    INSERT OR IGNORE INTO search_words (term) SELECT term FROM search_words_scratch_terms;
    INSERT INTO search_words_scratch (search_words_scratch) VALUES ('delete-all');
END;
CREATE TRIGGER messages_search_words_update AFTER UPDATE OF body ON messages BEGIN
    INSERT INTO search_words_scratch (rowid, a) VALUES (1, new.body);
    INSERT OR IGNORE INTO search_words (term) SELECT term FROM search_words_scratch_terms;
    INSERT INTO search_words_scratch (search_words_scratch) VALUES ('delete-all');
END;

-- Read only by the backfill above.
DROP TABLE tickets_fts_terms;
DROP TABLE messages_fts_terms;
