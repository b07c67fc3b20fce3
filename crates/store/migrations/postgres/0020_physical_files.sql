-- Read table: the cases' physical files and their whereabouts (`file:<label>` in the journal).
-- `state` is the domain's `PhysicalFile` as JSON; the other columns are what the archivists'
-- lists (a file's place, who holds it, the overdue list) read and sort by. `nansen rebuild`
-- replays it from the journal.
CREATE TABLE physical_files (
    label       TEXT NOT NULL COLLATE "C" PRIMARY KEY,
    case_number TEXT,
    category    TEXT NOT NULL,
    store       TEXT NOT NULL,
    place       TEXT NOT NULL,
    whereabouts TEXT NOT NULL,
    holder      TEXT,
    due         TEXT,
    waiting     BIGINT NOT NULL,
    state       TEXT NOT NULL,
    seq         BIGINT NOT NULL
);
CREATE INDEX physical_files_by_case ON physical_files (case_number);
CREATE INDEX physical_files_by_holder ON physical_files (holder, label);
CREATE INDEX physical_files_by_due ON physical_files (due, label);
