-- The day the person was notified of a letter (domain.md §9): recorded from a mottagningsbevis, a
-- rekommenderat brev handed over, a handover at the desk or the person's own word, with how it
-- is known. An e-mailed letter counts from the day the e-mail reached the person's mail server.
ALTER TABLE letters ADD COLUMN notified_on DATE;
ALTER TABLE letters ADD COLUMN notified_evidence TEXT;
-- An appeal is tried for time against the day of notification and where that day comes from.
-- When no day can be shown the appeal is in time (the authority bears the proof), so the day
-- and the last day become optional: SQLite rebuilds the table to drop NOT NULL.
CREATE TABLE appeals_new (
    id TEXT PRIMARY KEY NOT NULL,
    case_id TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    controller_id TEXT NOT NULL,
    received_on DATE NOT NULL,
    notified_on DATE,
    last_day DATE,
    in_time BOOLEAN NOT NULL,
    status TEXT NOT NULL,
    forwarded_on DATE,
    court TEXT,
    documents TEXT NOT NULL DEFAULT '[]',
    created_at TIMESTAMP NOT NULL,
    created_by TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    notified_from TEXT NOT NULL DEFAULT 'given'
);
INSERT INTO appeals_new (id, case_id, controller_id, received_on, notified_on, last_day, in_time,
    status, forwarded_on, court, documents, created_at, created_by, updated_at)
SELECT id, case_id, controller_id, received_on, notified_on, last_day, in_time, status,
    forwarded_on, court, documents, created_at, created_by, updated_at FROM appeals;
DROP TABLE appeals;
ALTER TABLE appeals_new RENAME TO appeals;
CREATE INDEX appeals_case ON appeals (case_id);
