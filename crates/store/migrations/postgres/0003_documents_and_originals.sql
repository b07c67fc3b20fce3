-- Read table: the documents of every case file, for `audit verify --documents` (each stored hash
-- is checked once) and for finding which cases hold a given content. The case's `state` keeps
-- the full index; this table is rebuilt from the journal like `cases`.
CREATE TABLE documents (
    case_number  TEXT    NOT NULL,
    id           BIGINT  NOT NULL,
    sha256       TEXT    NOT NULL,
    media_type   TEXT    NOT NULL,
    size         BIGINT  NOT NULL,
    pages        BIGINT  NOT NULL,
    kind         TEXT    NOT NULL,
    origin       TEXT    NOT NULL,
    received_on  TEXT    NOT NULL,
    added_at     TEXT    NOT NULL,
    PRIMARY KEY (case_number, id)
);
CREATE INDEX documents_by_hash ON documents (sha256);

-- Read table: every original handed over, where it is now. Originals still in the office's custody
-- (not returned) are listed lent first (`lent` > `in_store`), then by location: one index scan.
CREATE TABLE originals (
    id           TEXT    PRIMARY KEY,
    case_number  TEXT    NOT NULL,
    kind         TEXT    NOT NULL,
    description  TEXT    NOT NULL,
    custody      TEXT    NOT NULL,
    location     TEXT    NOT NULL,
    holder       TEXT,
    received_on  TEXT    NOT NULL,
    division     TEXT
);
CREATE INDEX originals_by_case ON originals (case_number);
CREATE INDEX originals_by_custody ON originals (custody DESC, location, id);
