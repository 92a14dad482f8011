-- Every message to the person exists as a letter (domain.md §9): what it says (the template and
-- its values), to whom, and whether the e-mail carried it or it waits in the print queue until it
-- is posted (with the day, and the number of a rekommenderat brev).
CREATE TABLE letters (
    id TEXT PRIMARY KEY NOT NULL,
    case_id TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    controller_id TEXT,
    template TEXT NOT NULL,
    recipient TEXT NOT NULL,
    params TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    posted_on DATE,
    registered_number TEXT,
    posted_by TEXT
);
CREATE INDEX letters_case ON letters (case_id);
CREATE INDEX letters_status ON letters (status, created_at);
