-- Takes a waiting job of one of the kinds and leases it to a worker, in one statement. Fair between
-- owners (users): the owner with the fewest running jobs first, then the one whose latest claim is
-- oldest (never claimed first), then the oldest job. Same order as the SQLite queue's claim.
-- Returns the claimed jobs row, or no row. FOR UPDATE SKIP LOCKED: concurrent claimers on any
-- machine skip a row another transaction is taking instead of waiting for it or taking it too.
-- An owner with $5 jobs running is skipped (the per-user quota; jobs without an owner are exempt).
-- $1 worker id (text), $2 lease end (epoch ms, bigint), $3 now (ISO text), $4 kinds (text[]),
-- $5 most running jobs per owner (bigint)
UPDATE jobs
SET state = 'running', attempts = attempts + 1, worker_id = $1, lease_until_ms = $2, updated_at = $3, claim_seq = nextval('jobs_claim_seq')
WHERE id = (
  SELECT w.id FROM jobs w
  WHERE w.state = 'waiting' AND w.kind = ANY($4::text[])
    AND (w.owner IS NULL OR (SELECT count(*) FROM jobs r WHERE r.state = 'running' AND r.owner = w.owner) < $5::bigint)
  ORDER BY
    (SELECT count(*) FROM jobs r WHERE r.state = 'running' AND r.owner IS NOT DISTINCT FROM w.owner),
    (SELECT max(c.claim_seq) FROM jobs c WHERE c.owner IS NOT DISTINCT FROM w.owner) NULLS FIRST,
    w.id
  LIMIT 1
  FOR UPDATE SKIP LOCKED
)
RETURNING *
