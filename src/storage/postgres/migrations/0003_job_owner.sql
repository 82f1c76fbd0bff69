-- Fair claiming between users: the owner of a job and the order of its latest claim (a sequence,
-- not a clock, so claims in the same millisecond do not tie). Same columns and
-- indexes as SQLite's migration 3 (src/storage/sqlite/migrations.ts).
ALTER TABLE jobs ADD COLUMN owner TEXT;
ALTER TABLE jobs ADD COLUMN claim_seq BIGINT;
CREATE INDEX jobs_owner_state ON jobs (owner, state);
CREATE INDEX jobs_owner_claim_seq ON jobs (owner, claim_seq);
CREATE SEQUENCE jobs_claim_seq;
