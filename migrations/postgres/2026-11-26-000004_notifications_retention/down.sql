ALTER TABLE cases DROP COLUMN details_purged_at;
ALTER TABLE cases DROP COLUMN reduced_at;
DROP TABLE purge_log;
DROP TABLE case_statistics;
DROP TABLE job_leases;
DROP TABLE digests;
DROP TABLE case_notices;
ALTER TABLE outbox DROP COLUMN audience;
ALTER TABLE outbox DROP COLUMN claimed_until;
