CREATE TABLE controllers (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    email TEXT,
    dpo_email TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE cases (
    id TEXT PRIMARY KEY NOT NULL,
    reference TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    channel TEXT NOT NULL,
    status TEXT NOT NULL,
    received_at TIMESTAMP NOT NULL,
    received_date DATE NOT NULL,
    deadline DATE NOT NULL,
    extended_deadline DATE,
    effective_deadline DATE NOT NULL,
    subject_personnummer TEXT NOT NULL,
    subject TEXT NOT NULL,
    representative_personnummer TEXT,
    representative TEXT,
    identity_status TEXT NOT NULL,
    identity_method TEXT,
    identity_assurance TEXT,
    identity_verified_at TIMESTAMP,
    identity_verified_by TEXT,
    subject_categories TEXT NOT NULL,
    description TEXT,
    created_by TEXT NOT NULL,
    version INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX cases_created ON cases (created_at, id);
CREATE INDEX cases_status_deadline ON cases (status, effective_deadline, id);
CREATE INDEX cases_effective_deadline ON cases (effective_deadline, id);
CREATE INDEX cases_subject_personnummer ON cases (subject_personnummer);
CREATE INDEX cases_created_by ON cases (created_by, created_at);

CREATE TABLE case_parts (
    case_id TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    controller_id TEXT NOT NULL REFERENCES controllers (id),
    status TEXT NOT NULL,
    handler TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (case_id, controller_id)
);
CREATE INDEX case_parts_controller ON case_parts (controller_id, case_id);

CREATE TABLE case_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    case_id TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    at TIMESTAMP NOT NULL,
    actor TEXT NOT NULL,
    roles TEXT NOT NULL,
    event TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX case_events_case ON case_events (case_id, id);

CREATE TABLE reference_counters (
    year INTEGER PRIMARY KEY NOT NULL,
    last_number BIGINT NOT NULL
);

CREATE TABLE idempotency_keys (
    actor TEXT NOT NULL,
    key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    case_id TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (actor, key)
);

-- Append only: the service has no UPDATE or DELETE of this table. No foreign key to cases, so
-- the trail outlives a purged case.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    at TIMESTAMP NOT NULL,
    actor TEXT NOT NULL,
    roles TEXT NOT NULL,
    action TEXT NOT NULL,
    case_id TEXT,
    request_id TEXT
);
CREATE INDEX audit_log_case ON audit_log (case_id, id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
