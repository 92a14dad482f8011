-- Omprövning (förvaltningslagen 39 §): a decision the nämnd changed is kept beside the new one,
-- with when and on which appeal it was replaced.
CREATE TABLE superseded_decisions (
    id TEXT PRIMARY KEY NOT NULL,
    case_id TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    controller_id TEXT NOT NULL,
    outcome TEXT NOT NULL,
    reasons TEXT,
    text_sv TEXT NOT NULL,
    decided_at TIMESTAMP NOT NULL,
    decided_by TEXT NOT NULL,
    superseded_at TIMESTAMP NOT NULL,
    appeal_id TEXT NOT NULL
);
CREATE INDEX superseded_decisions_case ON superseded_decisions (case_id);
