-- Appeals of a part's decision (förvaltningslagen 43-46 §§): when it arrived, the day the person
-- was notified and the last day that gives (three weeks), whether it came in time, and whether it
-- was forwarded to the court with which documents. A pending appeal holds the case from retention.
CREATE TABLE appeals (
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
CREATE INDEX appeals_case ON appeals (case_id);
