-- Statistics (projection): one row per counted fact and person (see nansen_domain::statistics),
-- written in the same transaction as the events they come from, and recomputed by `nansen rebuild`.
-- Tables are GROUP BYs over rows whose seq is at most the journal head they name.
CREATE TABLE stat_facts (
    seq          BIGINT NOT NULL,
    person       BIGINT NOT NULL,
    kind         TEXT    NOT NULL,
    number       TEXT    NOT NULL,
    on_date      TEXT    NOT NULL,
    person_key   TEXT    NOT NULL,
    application  TEXT    NOT NULL,
    procedure    TEXT    NOT NULL,
    nationality  TEXT    NOT NULL,
    sex          TEXT    NOT NULL,
    age          TEXT    NOT NULL,
    decision     TEXT,
    court        TEXT,
    division     TEXT,
    section      BIGINT,
    officer      TEXT,
    language     TEXT    NOT NULL,
    lodged_on    TEXT    NOT NULL,
    days         BIGINT NOT NULL,
    PRIMARY KEY (seq, person, kind)
);
CREATE INDEX stat_facts_by_kind_date ON stat_facts (kind, on_date);
CREATE INDEX stat_facts_by_person ON stat_facts (person_key, kind, seq);

-- Spans during which a person's first-instance examination is pending (Eurostat's stock):
-- opened by one event, closed by a later one (end_seq), reopened as a new span.
CREATE TABLE stat_pending (
    number       TEXT    NOT NULL,
    person       BIGINT NOT NULL,
    start_seq    BIGINT NOT NULL,
    start_on     TEXT    NOT NULL,
    end_seq      BIGINT,
    end_on       TEXT,
    nationality  TEXT    NOT NULL,
    sex          TEXT    NOT NULL,
    born         TEXT,
    procedure    TEXT    NOT NULL,
    lodged_on    TEXT    NOT NULL,
    PRIMARY KEY (number, person, start_seq)
);
CREATE INDEX stat_pending_by_end ON stat_pending (end_on);
