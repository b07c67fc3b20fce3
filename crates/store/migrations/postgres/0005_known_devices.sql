-- Devices on which an account signed in successfully. A sign-in from one of them is not held
-- back by a lockout that someone else caused by guessing (issue: lockout as a weapon).
-- `account` is `agent:<login>` or `portal:<case number>`; the token itself is never stored.
CREATE TABLE known_devices (
    account    TEXT   NOT NULL,
    token_hash BYTEA  NOT NULL,
    last_seen  BIGINT NOT NULL,
    PRIMARY KEY (account, token_hash)
);
CREATE INDEX known_devices_last_seen ON known_devices (last_seen);
