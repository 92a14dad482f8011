-- Each controller's register of processing activities (Art. 30), as imported and edited.
CREATE TABLE activities (
    id TEXT PRIMARY KEY NOT NULL,
    controller_id TEXT NOT NULL REFERENCES controllers (id),
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    purpose TEXT NOT NULL,
    subject_categories TEXT NOT NULL,
    data_categories TEXT NOT NULL,
    legal_basis TEXT NOT NULL,
    retention TEXT NOT NULL,
    recipients TEXT NOT NULL,
    source TEXT NOT NULL,
    third_country_transfer TEXT NOT NULL,
    system TEXT,
    extra TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX activities_controller ON activities (controller_id, position);

-- Bumped on every register change, so each instance knows when to rebuild its search index.
CREATE TABLE register_version (
    id INTEGER PRIMARY KEY NOT NULL,
    version BIGINT NOT NULL
);
INSERT INTO register_version (id, version) VALUES (1, 0);

-- What the handläggare found in each activity for a case, and the secrecy review. The
-- activity's texts are copied so a later register change does not alter the case.
CREATE TABLE findings (
    case_id TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    activity_id TEXT NOT NULL,
    controller_id TEXT NOT NULL,
    found BOOLEAN NOT NULL,
    data TEXT,
    secrecy TEXT NOT NULL,
    secrecy_reference TEXT,
    guardian_secrecy_considered BOOLEAN NOT NULL,
    activity TEXT NOT NULL,
    reviewed_by TEXT NOT NULL,
    reviewed_at TIMESTAMP NOT NULL,
    PRIMARY KEY (case_id, activity_id)
);

-- The compiled extract (registerutdrag), as JSON.
CREATE TABLE extracts (
    case_id TEXT PRIMARY KEY NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    content TEXT NOT NULL,
    compiled_at TIMESTAMP NOT NULL,
    compiled_by TEXT NOT NULL
);
