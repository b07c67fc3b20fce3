-- The interview planning's register (workspace `planning`): interpreting firms, interpreters,
-- rooms and officers' calendars. Each entry is an aggregate of its own, journaled under its
-- subject (`firm:`, `interpreter:`, `room:`, `calendar:`); its state is kept like a case's, the
-- JSON the writer decides against. `nansen rebuild` recomputes the table from the journal.
CREATE TABLE planning_register (
    subject  TEXT    NOT NULL PRIMARY KEY,
    -- firm | interpreter | room | calendar
    kind     TEXT    NOT NULL,
    state    TEXT    NOT NULL,
    last_seq INTEGER NOT NULL,
    -- The interpreter's own account, which sees their schedule only.
    login    TEXT
) STRICT;
CREATE INDEX planning_register_kind ON planning_register (kind, subject);
CREATE UNIQUE INDEX planning_register_login ON planning_register (login) WHERE login IS NOT NULL;
