-- The procedures to end a protection (workspace `protection`): one line per procedure, projected
-- from the case's state like `documents` and recomputed by `nansen rebuild`, for the list of
-- procedures under way (answers due, drafts to sign) and of recent decisions. No names: the list
-- is office-wide; the procedure's page (authorized per case) shows who it is about.
CREATE TABLE protection_endings (
    case_number TEXT    NOT NULL,
    seq         BIGINT NOT NULL,
    ground      TEXT    NOT NULL,
    opened_on   TEXT    NOT NULL,
    answer_due  TEXT    NOT NULL,
    answered_on TEXT,
    drafted_on  TEXT,
    decided_on  TEXT,
    -- 1 when the decision ended the protection, 0 when it maintained it; NULL before it.
    ends        BIGINT,
    PRIMARY KEY (case_number, seq)
);
CREATE INDEX protection_endings_open ON protection_endings (answer_due) WHERE decided_on IS NULL;
CREATE INDEX protection_endings_decided ON protection_endings (decided_on) WHERE decided_on IS NOT NULL;
