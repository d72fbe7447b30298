-- Every distinct word of the full-text indexes, so that expanding a searched prefix into
-- the words it stands for (store/sqlite/search.rs) is a range seek. The indexes'
-- vocabularies (fts5vocab, migration 0006) answer the same question but walk the list of
-- every document of each word to count them: ~2 ms for a common word at 100,000 tickets.
--
-- Words are kept exactly as the indexes' tokenizer leaves them (folded, without
-- diacritics), so the tokenizer itself must split them: each new text also goes into
-- `search_words_recent`, a small full-text table with the same tokenizer that stores no
-- text and no positions. Every 256th ticket and every 256th message move its vocabulary
-- (a few hundred documents, cheap to read) into `search_words` and empty it. A search
-- reads both, so a word is found from the moment its text is committed, whichever code
-- path wrote it. Words are never removed: a word that no text holds any more only makes a
-- search test one word that matches nothing.
CREATE TABLE search_words (term TEXT PRIMARY KEY) WITHOUT ROWID;

CREATE VIRTUAL TABLE search_words_recent USING fts5(
    a, b, content='', columnsize=0, detail=none,
    tokenize='unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE search_words_recent_terms USING fts5vocab(search_words_recent, 'row');

INSERT INTO search_words (term)
    SELECT term FROM tickets_fts_terms UNION SELECT term FROM messages_fts_terms;

-- Messages take negative rowids so they never collide with tickets'.
CREATE TRIGGER tickets_search_words_insert AFTER INSERT ON tickets BEGIN
    INSERT INTO search_words_recent (rowid, a, b)
    VALUES (new.seq, new.subject, new.description);
END;
CREATE TRIGGER tickets_search_words_update AFTER UPDATE OF subject, description ON tickets BEGIN
    INSERT INTO search_words_recent (rowid, a, b)
    VALUES (new.seq, new.subject, new.description);
END;
CREATE TRIGGER messages_search_words_insert AFTER INSERT ON messages BEGIN
    INSERT INTO search_words_recent (rowid, a) VALUES (-new.seq, new.body);
END;
CREATE TRIGGER messages_search_words_update AFTER UPDATE OF body ON messages BEGIN
    INSERT INTO search_words_recent (rowid, a) VALUES (-new.seq, new.body);
END;

CREATE TRIGGER tickets_search_words_move AFTER INSERT ON tickets WHEN new.seq % 256 = 0 BEGIN
    INSERT OR IGNORE INTO search_words (term) SELECT term FROM search_words_recent_terms;
    INSERT INTO search_words_recent (search_words_recent) VALUES ('delete-all');
END;
CREATE TRIGGER messages_search_words_move AFTER INSERT ON messages WHEN new.seq % 256 = 0 BEGIN
    INSERT OR IGNORE INTO search_words (term) SELECT term FROM search_words_recent_terms;
    INSERT INTO search_words_recent (search_words_recent) VALUES ('delete-all');
END;

-- Read only by the backfill above.
DROP TABLE tickets_fts_terms;
DROP TABLE messages_fts_terms;
