-- LoginId lifecycle (deleteLogin): a session remembers the LoginId it is open on, a LoginId's
-- record carries the lease of a deletion at Flinks, and a deleted LoginId leaves a tombstone.

-- Lower case, like gateway_logins.login_id; null for sessions recorded before this migration.
ALTER TABLE gateway_sessions ADD COLUMN login_id text;
CREATE INDEX gateway_sessions_login_id ON gateway_sessions (login_id) WHERE login_id IS NOT NULL;
-- Rounds keep the LoginId as the caller sent it.
CREATE INDEX gateway_mfa_rounds_login_id ON gateway_mfa_rounds (lower(login_id))
  WHERE login_id IS NOT NULL;

-- Epoch milliseconds until which a deletion of this LoginId is at Flinks: one at a time.
ALTER TABLE gateway_logins ADD COLUMN deleting_until bigint NOT NULL DEFAULT 0;

-- A LoginId deleted at Flinks through the gateway, and who deleted it: refused on authorize
-- without an upstream call, and deleting it again answers LoginDeleted to its former owner.
-- Never expired, like gateway_logins; a later claim (Flinks proving it exists) removes the row.
CREATE TABLE gateway_deleted_logins (
  login_id text PRIMARY KEY,
  principal text NOT NULL,
  deleted_at timestamptz NOT NULL
);
