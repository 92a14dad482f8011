CREATE TABLE appeals_old (
    id TEXT PRIMARY KEY NOT NULL,
    case_id TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    controller_id TEXT NOT NULL,
    received_on DATE NOT NULL,
    notified_on DATE NOT NULL,
    last_day DATE NOT NULL,
    in_time BOOLEAN NOT NULL,
    status TEXT NOT NULL,
    forwarded_on DATE,
    court TEXT,
    documents TEXT NOT NULL DEFAULT '[]',
    created_at TIMESTAMP NOT NULL,
    created_by TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
INSERT INTO appeals_old SELECT id, case_id, controller_id, received_on,
    COALESCE(notified_on, received_on), COALESCE(last_day, received_on), in_time, status,
    forwarded_on, court, documents, created_at, created_by, updated_at FROM appeals;
DROP TABLE appeals;
ALTER TABLE appeals_old RENAME TO appeals;
CREATE INDEX appeals_case ON appeals (case_id);
ALTER TABLE letters DROP COLUMN notified_evidence;
ALTER TABLE letters DROP COLUMN notified_on;
