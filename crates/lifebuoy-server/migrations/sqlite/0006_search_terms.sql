-- The full-text indexes' vocabularies, read to expand a searched prefix into the words it
-- stands for (store/sqlite/search.rs). Virtual: they read the indexes and store nothing.
CREATE VIRTUAL TABLE tickets_fts_terms USING fts5vocab(tickets_fts, 'row');
CREATE VIRTUAL TABLE messages_fts_terms USING fts5vocab(messages_fts, 'row');
