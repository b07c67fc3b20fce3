-- Sign-in protection: failed attempts in a row and the end of a lockout, per account.
ALTER TABLE accounts ADD COLUMN failed_logins INTEGER NOT NULL DEFAULT 0;
ALTER TABLE accounts ADD COLUMN locked_until TEXT;
CREATE INDEX accounts_by_division ON accounts (division, role);

-- Agents' sessions, in the database so that any web node can serve any request. The key is the
-- SHA-256 of the session id: the table alone does not open a session.
CREATE TABLE sessions (
    id_hash    BLOB    PRIMARY KEY,
    data       TEXT    NOT NULL,
    expires_at INTEGER NOT NULL
) STRICT;
CREATE INDEX sessions_by_expiry ON sessions (expires_at);
