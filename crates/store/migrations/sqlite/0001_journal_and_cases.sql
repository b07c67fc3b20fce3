-- The journal: append-only, hash-chained (see crates/store/src/journal.rs for the hash).
CREATE TABLE journal (
    seq          INTEGER PRIMARY KEY,
    recorded_at  TEXT    NOT NULL,
    actor        TEXT    NOT NULL,
    subject      TEXT    NOT NULL,
    kind         TEXT    NOT NULL,
    payload      TEXT    NOT NULL,
    prev_hash    BLOB    NOT NULL,
    hash         BLOB    NOT NULL
) STRICT;
CREATE INDEX journal_by_subject ON journal (subject, seq);

-- One row: the chain head, the Merkle frontier and the latest signed tree head (re-signed by
-- every commit); every write transaction locks it first.
CREATE TABLE journal_head (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    size      INTEGER NOT NULL,
    last_hash BLOB    NOT NULL,
    frontier  BLOB    NOT NULL,
    root      BLOB,
    signed_at TEXT,
    key_id    TEXT,
    signature BLOB
) STRICT;
INSERT INTO journal_head (id, size, last_hash, frontier)
VALUES (1, 0, zeroblob(32), zeroblob(8));

-- Signed tree heads kept as checkpoints: one each time the journal crosses a multiple of 1,024
-- entries, so that a rewrite can be located and old receipts checked.
CREATE TABLE tree_heads (
    size       INTEGER PRIMARY KEY,
    root       BLOB    NOT NULL,
    last_hash  BLOB    NOT NULL,
    signed_at  TEXT    NOT NULL,
    key_id     TEXT    NOT NULL,
    signature  BLOB    NOT NULL
) STRICT;

-- Case numbers per year (gaps are possible, as with any sequence).
CREATE TABLE counters (
    name  TEXT    PRIMARY KEY,
    value INTEGER NOT NULL
) STRICT;

-- Read table: one row per application, recomputable from the journal (`nansen rebuild`).
CREATE TABLE cases (
    number              TEXT    PRIMARY KEY,
    status              TEXT    NOT NULL,
    kind                TEXT    NOT NULL,
    procedure           TEXT    NOT NULL,
    nationality         TEXT    NOT NULL,
    language            TEXT    NOT NULL,
    division            TEXT,
    section             INTEGER,
    officer             TEXT,
    applicant_latin     TEXT    NOT NULL,
    applicant_original  TEXT    NOT NULL,
    introduced_on       TEXT    NOT NULL,
    decision_due        TEXT,
    -- The queues\' order, indexed: the decision deadline (open cases first), then the number.
    queue_key           TEXT    NOT NULL,
    last_seq            INTEGER NOT NULL,
    state               TEXT    NOT NULL
) STRICT;
CREATE INDEX cases_by_queue ON cases (queue_key);
CREATE INDEX cases_by_division ON cases (division, queue_key);
CREATE INDEX cases_by_officer ON cases (officer, queue_key);
CREATE INDEX cases_by_nationality ON cases (nationality, queue_key);
CREATE INDEX cases_by_status ON cases (status, queue_key);

-- Read table: the persons of each application (applicant first), for search by name.
CREATE TABLE persons (
    case_number      TEXT    NOT NULL REFERENCES cases (number),
    position         INTEGER NOT NULL,
    role             TEXT    NOT NULL,
    family_latin     TEXT    NOT NULL,
    given_latin      TEXT    NOT NULL,
    family_original  TEXT    NOT NULL,
    given_original   TEXT    NOT NULL,
    -- Search keys: the transliteration in upper case, the original script in lower case.
    latin_key        TEXT    NOT NULL,
    original_key     TEXT    NOT NULL,
    birth_date       TEXT    NOT NULL,
    sex              TEXT    NOT NULL,
    nationality      TEXT    NOT NULL,
    PRIMARY KEY (case_number, position)
) STRICT;
CREATE INDEX persons_by_latin_key ON persons (latin_key);
CREATE INDEX persons_by_original_key ON persons (original_key);

-- Agents' accounts: authoritative (not a projection); their changes are journaled without secrets.
CREATE TABLE accounts (
    login          TEXT    PRIMARY KEY,
    display_name   TEXT    NOT NULL,
    role           TEXT    NOT NULL,
    division       TEXT,
    section        INTEGER,
    password_hash  TEXT    NOT NULL,
    created_at     TEXT    NOT NULL,
    disabled       INTEGER NOT NULL DEFAULT 0
) STRICT;
