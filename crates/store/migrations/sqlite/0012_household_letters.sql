-- The letters the reception agency issued to households (the household's state holds them; this
-- projection names their content hashes, so that `nansen documents gc` keeps them, and lists a
-- case's letters for the applicant's secure space). `nansen rebuild` recomputes it with the
-- households.
CREATE TABLE household_letters (
    household_id TEXT    NOT NULL,
    n            INTEGER NOT NULL,
    kind         TEXT    NOT NULL,
    sha256       TEXT    NOT NULL,
    issued_on    TEXT    NOT NULL,
    PRIMARY KEY (household_id, n)
) STRICT;
CREATE INDEX household_letters_sha256 ON household_letters (sha256);
