-- What an audit row needs besides its case: the keyed hash of a searched number and how many
-- cases matched, the other nämnders' parts a DPO or administrator was shown, why a read was refused.
ALTER TABLE audit_log ADD COLUMN detail TEXT;
-- The e-tjänst's status view finds a citizen's cases as subject or as representative.
CREATE INDEX cases_representative_personnummer ON cases (representative_personnummer);
