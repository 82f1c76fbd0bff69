-- Returns one jobs row by id, or no row.
-- $1 job id
SELECT * FROM jobs WHERE id = $1
