-- Hands a running job back to the queue (its worker is shutting down): waiting again, with the
-- attempt it used given back, so a clean shutdown never counts towards max_attempts.
-- Returns the job id, or no row when the worker no longer holds the job.
-- $1 job id, $2 worker id, $3 now (ISO text)
UPDATE jobs
SET state = 'waiting', worker_id = NULL, lease_until_ms = NULL, attempts = GREATEST(attempts - 1, 0), updated_at = $3
WHERE id = $1 AND worker_id = $2 AND state = 'running'
RETURNING id
