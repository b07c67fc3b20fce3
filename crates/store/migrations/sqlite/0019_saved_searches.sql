-- Read table: each agent's saved searches of the library (`saved-search:<login>` in the journal).
-- `seen_seq` is the library's journal position when the agent last opened the search: the
-- documents added after it are "new since the last visit". `nansen rebuild` replays it.
CREATE TABLE saved_searches (
    id       TEXT NOT NULL PRIMARY KEY,
    login    TEXT NOT NULL,
    name     TEXT NOT NULL,
    query    TEXT NOT NULL,
    seen_seq INTEGER NOT NULL,
    seq      INTEGER NOT NULL
) STRICT;
CREATE INDEX saved_searches_by_login ON saved_searches (login, name);
