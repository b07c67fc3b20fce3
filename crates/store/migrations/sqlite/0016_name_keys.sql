-- Read table: the spelling-independent keys of the names in each case (`nansen_domain::names`),
-- so that a case filed under "Mohamed" is found by "Muhammad", "Мухаммед" or "محمد". One row
-- per key and case, read in (key, case_number) order so that a search for a very common name
-- stops at its limit; `nansen rebuild` recomputes it (and a database from before it is filled
-- when opened).
CREATE TABLE name_keys (
    key         TEXT NOT NULL,
    case_number TEXT NOT NULL,
    PRIMARY KEY (key, case_number)
) STRICT, WITHOUT ROWID;
CREATE INDEX name_keys_by_case ON name_keys (case_number, key);
