-- Every piece of state the gateway shares between replicas. Times the gateway compares
-- (expires_at, answering_until, updated_at) are epoch milliseconds from the gateway's clock;
-- the LoginId record, which people read, uses timestamptz. Nothing secret is stored: no password,
-- no security answer, no token, no key.

-- An open MFA round. challenges holds Flinks' questions (an image round's images once, as sent).
-- One answer at a time: lease_id/answering_until are taken by a conditional UPDATE.
CREATE TABLE gateway_mfa_rounds (
  request_id text PRIMARY KEY,
  principal text NOT NULL,
  login_id text,
  challenges jsonb NOT NULL,
  wrong_answers integer NOT NULL DEFAULT 0,
  lease_id uuid,
  answering_until bigint NOT NULL DEFAULT 0,
  expires_at bigint NOT NULL
);
CREATE INDEX gateway_mfa_rounds_expires_at ON gateway_mfa_rounds (expires_at);

-- An authorized RequestId and the principal whose data it opens.
CREATE TABLE gateway_sessions (
  request_id text PRIMARY KEY,
  principal text NOT NULL,
  expires_at bigint NOT NULL
);
CREATE INDEX gateway_sessions_expires_at ON gateway_sessions (expires_at);

-- A LoginId's owner: a record, never expired (Flinks keeps the LoginId until /DeleteCard).
-- login_id is lower case. The other columns are what a list of the caller's logins shows.
CREATE TABLE gateway_logins (
  login_id text PRIMARY KEY,
  principal text NOT NULL,
  institution text,
  username text,
  last_refresh timestamptz,
  connected_at timestamptz NOT NULL,
  last_used_at timestamptz NOT NULL
);
CREATE INDEX gateway_logins_principal ON gateway_logins (principal, last_used_at DESC);

-- Account detail Flinks is gathering for a RequestId, and for which options.
CREATE TABLE gateway_pending_details (
  request_id text PRIMARY KEY,
  options_key text NOT NULL,
  expires_at bigint NOT NULL
);
CREATE INDEX gateway_pending_details_expires_at ON gateway_pending_details (expires_at);

-- A token bucket per principal: capacity per minute, refilled continuously. A row not written for
-- a minute is full again, the same as no row, and is swept.
CREATE TABLE gateway_rate_limits (
  key text PRIMARY KEY,
  tokens double precision NOT NULL,
  updated_at bigint NOT NULL,
  allowed boolean NOT NULL
);
CREATE INDEX gateway_rate_limits_updated_at ON gateway_rate_limits (updated_at);
