-- Restriction of processing in force per activity (Art. 18): since when and why, whether it is
-- interim while an objection or a rectification is assessed (Art. 18(1)(a), (d)), when the
-- person was told it will be lifted (Art. 18(3)), and when it was lifted.
CREATE TABLE restrictions (
    id TEXT PRIMARY KEY NOT NULL,
    case_id TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    controller_id TEXT NOT NULL,
    activity_id TEXT NOT NULL,
    activity_name TEXT NOT NULL,
    started_on DATE NOT NULL,
    reason TEXT NOT NULL,
    interim BOOLEAN NOT NULL,
    lift_notified_on DATE,
    lift_on DATE,
    lifted_on DATE,
    created_at TIMESTAMP NOT NULL,
    created_by TEXT NOT NULL
);
CREATE INDEX restrictions_case ON restrictions (case_id);
