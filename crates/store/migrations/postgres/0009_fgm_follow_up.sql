-- The follow-up of girls protected from FGM (workspace `protection`): one line per girl,
-- projected from the case's state like `documents` and recomputed by `nansen rebuild`, for the
-- daily list of examinations due and overdue and of reports awaiting signature. No names: the
-- list is office-wide; the follow-up's page (authorized per case) shows who it is.
CREATE TABLE fgm_follow_ups (
    case_number      TEXT    NOT NULL,
    person           BIGINT NOT NULL,
    opened_on        TEXT    NOT NULL,
    ends_on          TEXT    NOT NULL,
    due_on           TEXT    NOT NULL,
    certificates     BIGINT NOT NULL,
    unsigned_reports BIGINT NOT NULL,
    PRIMARY KEY (case_number, person)
);
CREATE INDEX fgm_follow_ups_due ON fgm_follow_ups (due_on, ends_on);
CREATE INDEX fgm_follow_ups_unsigned ON fgm_follow_ups (unsigned_reports) WHERE unsigned_reports > 0;
