-- Notices to applicants: how they want to be told that a document is waiting in their secure
-- space (addresses sealed with the secrets key, like the second factor: a copy of the database
-- alone does not say where an applicant lives or how to reach them), and the outbox.
ALTER TABLE portal_accounts ADD COLUMN email TEXT;
ALTER TABLE portal_accounts ADD COLUMN mobile TEXT;
ALTER TABLE portal_accounts ADD COLUMN notify_email INTEGER NOT NULL DEFAULT 1;
ALTER TABLE portal_accounts ADD COLUMN notify_sms INTEGER NOT NULL DEFAULT 1;

-- One row per notice to send: the journal entry that shared a document, and the channel (the
-- pair is the notice's identity, and its idempotency key at the provider). Claimed by a node
-- until `claimed_until`; tried again at `due_at` after a failure; `sent_at` or `given_up_at`
-- once done. Times are Unix seconds.
CREATE TABLE notices (
    id            INTEGER PRIMARY KEY,
    seq           INTEGER NOT NULL,
    channel       TEXT    NOT NULL,
    case_number   TEXT    NOT NULL,
    created_at    INTEGER NOT NULL,
    due_at        INTEGER NOT NULL,
    attempts      INTEGER NOT NULL DEFAULT 0,
    claimed_until INTEGER,
    sent_at       INTEGER,
    given_up_at   INTEGER,
    last_error    TEXT,
    UNIQUE (seq, channel)
) STRICT;
CREATE INDEX notices_due ON notices (due_at) WHERE sent_at IS NULL AND given_up_at IS NULL;
CREATE INDEX notices_by_case ON notices (case_number, seq);
CREATE INDEX notices_given_up ON notices (given_up_at) WHERE given_up_at IS NOT NULL;

-- How far the outbox has followed the journal; it starts at the journal's head when this
-- migration runs (documents shared before notices existed are not announced afterwards).
CREATE TABLE notice_cursor (
    id  INTEGER PRIMARY KEY CHECK (id = 1),
    seq INTEGER NOT NULL
) STRICT;
INSERT INTO notice_cursor (id, seq) SELECT 1, COALESCE(MAX(seq), 0) FROM journal;
