-- Extends the lease of a running job, only for the worker that holds it.
-- Returns the job id, or no row when the job was requeued, finished or taken by another worker.
-- $1 job id, $2 worker id, $3 new lease end (epoch ms), $4 now (ISO text)
UPDATE jobs
SET lease_until_ms = $3, updated_at = $4
WHERE id = $1 AND worker_id = $2 AND state = 'running'
RETURNING id
