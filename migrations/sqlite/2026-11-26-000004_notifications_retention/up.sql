-- A message being sent is leased to one sender until claimed_until, so several instances never
-- send the same message at once.
ALTER TABLE outbox ADD COLUMN claimed_until TIMESTAMP;
-- Staff messages carry no case personal data; `audience` says whom a message is for.
ALTER TABLE outbox ADD COLUMN audience TEXT NOT NULL DEFAULT 'person';

-- Each reminder or alert about a case is sent once: the row is written with the message.
CREATE TABLE case_notices (
    case_id TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    notice TEXT NOT NULL,
    sent_at TIMESTAMP NOT NULL,
    PRIMARY KEY (case_id, notice)
);

-- One digest per day, whichever instance makes it.
CREATE TABLE digests (
    day DATE PRIMARY KEY NOT NULL,
    created_at TIMESTAMP NOT NULL
);

-- Background jobs that must run on one instance at a time hold a lease.
CREATE TABLE job_leases (
    name TEXT PRIMARY KEY NOT NULL,
    holder TEXT NOT NULL,
    until TIMESTAMP NOT NULL
);

-- What remains of a purged case for the statistics: no personal data.
CREATE TABLE case_statistics (
    id TEXT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL,
    controllers TEXT NOT NULL,
    received_date DATE NOT NULL,
    decided_date DATE,
    on_time BOOLEAN,
    purged_at TIMESTAMP NOT NULL
);

-- What each retention run purged, without personal data.
CREATE TABLE purge_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    run_at TIMESTAMP NOT NULL,
    class TEXT NOT NULL,
    reference TEXT NOT NULL,
    counted_from DATE NOT NULL,
    action TEXT NOT NULL
);

-- Set when retention has reduced a case to the refusal decision it must keep.
ALTER TABLE cases ADD COLUMN reduced_at TIMESTAMP;
-- Set when the request details (description, contact details) have been purged.
ALTER TABLE cases ADD COLUMN details_purged_at TIMESTAMP;
