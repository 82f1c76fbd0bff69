-- Moves a running job to completed or failed, only for the worker that holds it.
-- Returns the job id, or no row when the worker no longer holds the job.
-- $1 job id, $2 worker id, $3 final state ('completed' | 'failed'), $4 error or null, $5 now (ISO text)
UPDATE jobs
SET state = $3, last_error = $4, lease_until_ms = NULL, updated_at = $5
WHERE id = $1 AND worker_id = $2 AND state = 'running'
RETURNING id
