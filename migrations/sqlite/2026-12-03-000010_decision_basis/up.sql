-- What a decision rests on (förvaltningslagen 31-32 §§): the provisions applied, as codes of the
-- service's catalogue (JSON array), and who decided, with title and delegation.
ALTER TABLE decisions ADD COLUMN legal_grounds TEXT NOT NULL DEFAULT '[]';
ALTER TABLE decisions ADD COLUMN decision_maker_name TEXT;
ALTER TABLE decisions ADD COLUMN decision_maker_title TEXT;
ALTER TABLE decisions ADD COLUMN delegation TEXT;
