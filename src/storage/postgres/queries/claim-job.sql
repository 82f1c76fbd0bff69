-- Takes the oldest waiting job of one of the kinds and leases it to a worker, in one statement.
-- Returns the claimed jobs row, or no row. FOR UPDATE SKIP LOCKED: concurrent claimers on any
-- machine skip a row another transaction is taking instead of waiting for it or taking it too.
-- $1 worker id (text), $2 lease end (epoch ms, bigint), $3 now (ISO text), $4 kinds (text[])
UPDATE jobs
SET state = 'running', attempts = attempts + 1, worker_id = $1, lease_until_ms = $2, updated_at = $3
WHERE id = (
  SELECT id FROM jobs
  WHERE state = 'waiting' AND kind = ANY($4::text[])
  ORDER BY id
  LIMIT 1
  FOR UPDATE SKIP LOCKED
)
RETURNING *
