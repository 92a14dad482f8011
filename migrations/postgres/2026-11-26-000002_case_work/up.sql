ALTER TABLE cases ADD COLUMN representative_verified_at TIMESTAMP;
ALTER TABLE cases ADD COLUMN representative_verified_by TEXT;
ALTER TABLE cases ADD COLUMN representative_identity_method TEXT;
-- Periods spent waiting for identity information, as JSON [{"from": date, "to": date|null}].
ALTER TABLE cases ADD COLUMN identity_waits TEXT NOT NULL DEFAULT '[]';
ALTER TABLE cases ADD COLUMN extension_reason TEXT;
ALTER TABLE cases ADD COLUMN extended_at TIMESTAMP;
ALTER TABLE cases ADD COLUMN extended_by TEXT;
ALTER TABLE cases ADD COLUMN extension_notice_id TEXT;
ALTER TABLE cases ADD COLUMN decided_at TIMESTAMP;
ALTER TABLE cases ADD COLUMN decided_on_time BOOLEAN;
ALTER TABLE cases ADD COLUMN delivery_method TEXT;
ALTER TABLE cases ADD COLUMN delivered_at TIMESTAMP;
ALTER TABLE cases ADD COLUMN closed_at TIMESTAMP;
ALTER TABLE cases ADD COLUMN withdrawn_at TIMESTAMP;
-- The deadline in force plus the days spent waiting for identity information (the pause policy).
ALTER TABLE cases ADD COLUMN adjusted_deadline DATE NOT NULL DEFAULT '2000-01-01';
UPDATE cases SET adjusted_deadline = effective_deadline;
CREATE INDEX cases_status_adjusted ON cases (status, adjusted_deadline, id);
-- Whole days from receipt to decision, for the statistics' median without a scan of the cases.
ALTER TABLE cases ADD COLUMN days_to_decision INTEGER;
-- 'YYYY-MM' of received_date, for received-per-month statistics from an index.
ALTER TABLE cases ADD COLUMN received_month TEXT NOT NULL DEFAULT '';
UPDATE cases SET received_month = to_char(received_date, 'YYYY-MM');
CREATE INDEX cases_decided ON cases (decided_at, days_to_decision, decided_on_time);
CREATE INDEX cases_received_month ON cases (received_month);
CREATE INDEX case_parts_controller_status ON case_parts (controller_id, status);
CREATE INDEX cases_received_date ON cases (received_date);
CREATE INDEX cases_kind ON cases (kind);
CREATE INDEX cases_extended ON cases (extended_deadline);

CREATE TABLE decisions (
    case_id TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    controller_id TEXT NOT NULL REFERENCES controllers (id),
    outcome TEXT NOT NULL,
    reasons TEXT,
    recipients_notified TEXT NOT NULL,
    recipients_not_notified_reason TEXT,
    text_sv TEXT NOT NULL,
    decided_at TIMESTAMP NOT NULL,
    decided_by TEXT NOT NULL,
    PRIMARY KEY (case_id, controller_id)
);

-- Messages to people and staff, written in the same transaction as the change that causes them
-- and sent after commit.
CREATE TABLE outbox (
    id TEXT PRIMARY KEY NOT NULL,
    case_id TEXT REFERENCES cases (id) ON DELETE SET NULL,
    template TEXT NOT NULL,
    recipient TEXT NOT NULL,
    params TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    next_attempt_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP,
    last_error TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX outbox_pending ON outbox (status, next_attempt_at);
CREATE INDEX outbox_case ON outbox (case_id);
