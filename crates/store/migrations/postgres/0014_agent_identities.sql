-- Agents signing in through the state's identity provider (OpenID Connect): the value of the
-- configured claim (the work e-mail address by default) that names each agent there. Set by an
-- administrator, never from a token: an unknown identity is refused, not created.
ALTER TABLE accounts ADD COLUMN identity TEXT;
CREATE UNIQUE INDEX accounts_identity ON accounts (identity);
