-- Takes a waiting job of one of the kinds and leases it to a worker, in one statement. Fair between
-- owners (users): the owner with the fewest running jobs first, then the one whose latest claim is
-- oldest (never claimed first), then the oldest job. Same order as the SQLite queue's claim.
-- Returns the claimed jobs row, or no row. FOR UPDATE SKIP LOCKED: concurrent claimers on any
-- machine skip a row another transaction is taking instead of waiting for it or taking it too.
-- $1 worker id (text), $2 lease end (epoch ms, bigint), $3 now (ISO text), $4 kinds (text[])
UPDATE jobs
SET state = 'running', attempts = attempts + 1, worker_id = $1, lease_until_ms = $2, updated_at = $3, claim_seq = nextval('jobs_claim_seq')
WHERE id = (
  SELECT w.id FROM jobs w
  WHERE w.state = 'waiting' AND w.kind = ANY($4::text[])
  ORDER BY
    (SELECT count(*) FROM jobs r WHERE r.state = 'running' AND r.owner IS NOT DISTINCT FROM w.owner),
    (SELECT max(c.claim_seq) FROM jobs c WHERE c.owner IS NOT DISTINCT FROM w.owner) NULLS FIRST,
    w.id
  LIMIT 1
  FOR UPDATE SKIP LOCKED
)
RETURNING *
