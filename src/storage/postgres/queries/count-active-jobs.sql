-- Returns (kind, state, count) for waiting and running jobs, ordered by kind then state.
-- No parameters.
SELECT kind, state, COUNT(*) AS count FROM jobs WHERE state IN ('waiting', 'running') GROUP BY kind, state ORDER BY kind, state
