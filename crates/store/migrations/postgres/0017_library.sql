-- Read tables: the research division's library of country-of-origin information. Each document
-- (`library:<id>` in the journal, kind `library.document_added`) with its description and the
-- version stored (SHA-256, its bytes in the document store), and its text cut into numbered
-- passages, which the search index (`nansen-search`) is rebuilt from. `nansen rebuild` replays
-- both from the journal.
CREATE TABLE library_documents (
    id           TEXT NOT NULL COLLATE "C" PRIMARY KEY,
    source       TEXT NOT NULL,
    title        TEXT NOT NULL,
    kind         TEXT NOT NULL,
    language     TEXT NOT NULL,
    countries    TEXT NOT NULL,
    topics       TEXT NOT NULL,
    published_on TEXT NOT NULL,
    added_on     TEXT NOT NULL,
    sha256       TEXT NOT NULL,
    media_type   TEXT NOT NULL,
    bytes        BIGINT NOT NULL,
    replaces     TEXT,
    replaced_by  TEXT,
    passages     BIGINT NOT NULL,
    added_by     TEXT NOT NULL,
    seq          BIGINT NOT NULL
);
CREATE INDEX library_documents_by_seq ON library_documents (seq);
CREATE TABLE library_passages (
    document TEXT NOT NULL COLLATE "C",
    n        BIGINT NOT NULL,
    text     TEXT NOT NULL,
    PRIMARY KEY (document, n)
);
