-- The applicants' secure space (Espace usager): one account per case, opened with the one-time
-- activation code printed on the registration receipt. Only hashes are kept: the SHA-256 of the
-- code (130 random bits), the argon2id hash of the password. Times are Unix seconds.
CREATE TABLE portal_accounts (
    case_number     TEXT    PRIMARY KEY,
    code_hash       BYTEA,
    code_expires_at BIGINT,
    password_hash   TEXT,
    totp_secret     TEXT,
    lang            TEXT,
    failed_logins   BIGINT NOT NULL DEFAULT 0,
    locked_until    BIGINT,
    activated_at    BIGINT
);

-- Counters of failed attempts per client and window (sign-in, activation), shared by every web node.
CREATE TABLE rate_limits (
    bucket       TEXT    PRIMARY KEY,
    window_start BIGINT NOT NULL,
    hits         BIGINT NOT NULL
);
