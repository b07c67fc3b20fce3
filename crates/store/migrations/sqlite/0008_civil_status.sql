-- Civil status (workspace `protection`): the register of acts and the copies issued, projected
-- from the cases' events like `documents` and recomputed by `nansen rebuild`. The acts
-- themselves, their mentions and copies live in the case's state; these tables find them by
-- number, by name, and (for the public verification page) a copy by its reference.
CREATE TABLE civil_acts (
    number          TEXT    NOT NULL PRIMARY KEY,
    year            INTEGER NOT NULL,
    seq             INTEGER NOT NULL,
    case_number     TEXT    NOT NULL,
    person          INTEGER NOT NULL,
    kind            TEXT    NOT NULL,
    family_latin    TEXT    NOT NULL,
    given_latin     TEXT    NOT NULL,
    family_original TEXT    NOT NULL,
    given_original  TEXT    NOT NULL,
    latin_key       TEXT    NOT NULL,
    original_key    TEXT    NOT NULL,
    event_on        TEXT    NOT NULL,
    version         INTEGER NOT NULL,
    drawn_up_at     TEXT    NOT NULL
) STRICT;
CREATE INDEX civil_acts_case ON civil_acts (case_number);
CREATE INDEX civil_acts_latin ON civil_acts (latin_key, number);
CREATE INDEX civil_acts_original ON civil_acts (original_key, number);
CREATE INDEX civil_acts_register ON civil_acts (year, seq);

CREATE TABLE civil_copies (
    id          TEXT    NOT NULL PRIMARY KEY,
    act         TEXT    NOT NULL,
    case_number TEXT    NOT NULL,
    version     INTEGER NOT NULL,
    sha256      TEXT    NOT NULL,
    requested   INTEGER NOT NULL,
    issued_at   TEXT    NOT NULL
) STRICT;
CREATE INDEX civil_copies_case ON civil_copies (case_number);
CREATE INDEX civil_copies_sha256 ON civil_copies (sha256);
