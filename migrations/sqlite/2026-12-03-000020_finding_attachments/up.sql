-- Copies of the documents that hold a finding's data (Art. 15(3), CJEU C-487/21): part of the
-- extract, delivered with it (embedded in its PDF) and purged with it.
CREATE TABLE finding_attachments (
    id TEXT PRIMARY KEY NOT NULL,
    case_id TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    activity_id TEXT NOT NULL,
    controller_id TEXT NOT NULL,
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    content BLOB NOT NULL,
    created_at TIMESTAMP NOT NULL,
    created_by TEXT NOT NULL
);
CREATE INDEX finding_attachments_case ON finding_attachments (case_id, activity_id);
