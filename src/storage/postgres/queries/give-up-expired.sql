-- Fails running jobs whose lease ended and that used up max_attempts.
-- Returns the failed jobs rows (each reported by exactly one sweeper).
-- $1 reason (text), $2 now (ISO text), $3 the sweeper's now (epoch ms)
UPDATE jobs
SET state = 'failed', lease_until_ms = NULL, last_error = $1, updated_at = $2
WHERE state = 'running' AND lease_until_ms < $3 AND attempts >= max_attempts
RETURNING *
