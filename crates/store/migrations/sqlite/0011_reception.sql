-- The reception agency (workspace `reception`). Households and structures are aggregates of their
-- own: their state is kept like a case's (`state`, the JSON the writer decides against) with the
-- columns the agency's lists filter on. `nansen rebuild` recomputes all three tables from the
-- journal (`household:*`, `structure:*`, `allowance:*`).
CREATE TABLE households (
    id            TEXT    NOT NULL PRIMARY KEY,
    state         TEXT    NOT NULL,
    last_seq      INTEGER NOT NULL,
    region        TEXT    NOT NULL,
    case_number   TEXT,
    -- The head's family and given names in Latin letters, and the search key of the family name.
    head_latin    TEXT    NOT NULL,
    head_key      TEXT    NOT NULL,
    registered_on TEXT    NOT NULL,
    persons       INTEGER NOT NULL,
    -- pending | accepted | refused
    offer         TEXT    NOT NULL,
    structure     TEXT,
    awaits_doctor INTEGER NOT NULL,
    vulnerable    INTEGER NOT NULL
) STRICT;
CREATE INDEX households_region ON households (region, registered_on);
CREATE INDEX households_case ON households (case_number) WHERE case_number IS NOT NULL;
CREATE INDEX households_structure ON households (structure) WHERE structure IS NOT NULL;
CREATE INDEX households_head ON households (head_key);
CREATE INDEX households_doctor ON households (awaits_doctor) WHERE awaits_doctor = 1;

CREATE TABLE structures (
    code                TEXT    NOT NULL PRIMARY KEY,
    state               TEXT    NOT NULL,
    last_seq            INTEGER NOT NULL,
    name                TEXT    NOT NULL,
    kind                TEXT    NOT NULL,
    operator            TEXT    NOT NULL,
    region              TEXT    NOT NULL,
    department          TEXT    NOT NULL,
    places_single       INTEGER NOT NULL,
    places_family       INTEGER NOT NULL,
    places_accessible   INTEGER NOT NULL,
    occupied_single     INTEGER NOT NULL,
    occupied_family     INTEGER NOT NULL,
    occupied_accessible INTEGER NOT NULL,
    hospital_nearby     INTEGER NOT NULL,
    declared_on         TEXT
) STRICT;
CREATE INDEX structures_region ON structures (region, code);
CREATE INDEX structures_operator ON structures (operator, code);

-- One line per month paid: a month is never paid twice (the primary key refuses it).
CREATE TABLE allowance_runs (
    month       TEXT    NOT NULL PRIMARY KEY,
    households  INTEGER NOT NULL,
    total_cents INTEGER NOT NULL,
    -- SHA-256 of the payment file, which the document store keeps under that hash.
    sha256      TEXT    NOT NULL,
    run_at      TEXT    NOT NULL,
    run_by      TEXT    NOT NULL,
    seq         INTEGER NOT NULL
) STRICT;

-- What crosses from the office to the agency: the day the final decision on a case was
-- notified (it ends the allowance). Written with the case by the writer.
CREATE TABLE final_decisions (
    case_number TEXT NOT NULL PRIMARY KEY,
    notified_on TEXT NOT NULL
) STRICT;
