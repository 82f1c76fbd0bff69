-- Puts running jobs whose lease ended back to waiting, if they have attempts left.
-- Returns the requeued ids. Two sweepers at once are safe: the second one re-checks the WHERE
-- after the first commits and finds the rows no longer running.
-- $1 reason (text), $2 now (ISO text), $3 the sweeper's now (epoch ms)
UPDATE jobs
SET state = 'waiting', worker_id = NULL, lease_until_ms = NULL, last_error = $1, updated_at = $2
WHERE state = 'running' AND lease_until_ms < $3 AND attempts < max_attempts
RETURNING id
