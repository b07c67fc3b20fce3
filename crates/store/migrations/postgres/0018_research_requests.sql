-- Read table: the officers' research requests to the research division (`research:<id>` in the
-- journal). `state` is the domain's `ResearchRequest` as JSON; the other columns are what the
-- queue and the case page list and sort by. `nansen rebuild` replays it from the journal.
CREATE TABLE research_requests (
    id          TEXT NOT NULL COLLATE "C" PRIMARY KEY,
    case_number TEXT NOT NULL,
    status      TEXT NOT NULL,
    asked_by    TEXT NOT NULL,
    taken_by    TEXT,
    answered_by TEXT,
    reviewed_by TEXT,
    needed_by   TEXT NOT NULL,
    countries   TEXT NOT NULL,
    asked_at    TEXT NOT NULL,
    note        TEXT,
    state       TEXT NOT NULL,
    seq         BIGINT NOT NULL
);
CREATE INDEX research_requests_by_status ON research_requests (status, needed_by, id);
CREATE INDEX research_requests_by_case ON research_requests (case_number, id);
