-- The applicants' secure space (Espace usager): one account per case, opened with the one-time
-- activation code printed on the registration receipt. Only hashes are kept: the SHA-256 of the
-- code (130 random bits), the argon2id hash of the password. Times are Unix seconds.
CREATE TABLE portal_accounts (
    case_number     TEXT    PRIMARY KEY,
    code_hash       BLOB,
    code_expires_at INTEGER,
    password_hash   TEXT,
    totp_secret     TEXT,
    lang            TEXT,
    failed_logins   INTEGER NOT NULL DEFAULT 0,
    locked_until    INTEGER,
    activated_at    INTEGER
) STRICT;

-- Counters of failed attempts per client and window (sign-in, activation), shared by every web node.
CREATE TABLE rate_limits (
    bucket       TEXT    PRIMARY KEY,
    window_start INTEGER NOT NULL,
    hits         INTEGER NOT NULL
) STRICT;
