-- Adds a waiting job and notifies the machines listening on the schema's channel (delivered when
-- the statement commits). Returns its id.
-- $1 kind, $2 payload (JSON text), $3 max attempts, $4 now (ISO text), $5 notification channel,
-- $6 owner (user id or null)
WITH job AS (
  INSERT INTO jobs (kind, payload_json, state, attempts, max_attempts, created_at, updated_at, owner)
  VALUES ($1, $2, 'waiting', 0, $3, $4, $4, $6)
  RETURNING id
)
SELECT id, pg_notify($5, '') FROM job
