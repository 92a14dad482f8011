-- The outcomes beyond granted and refused (domain.md §6): the fee of a manifestly unfounded or
-- excessive request (Art. 12(5)), the authority a request was forwarded to and when
-- (förvaltningslagen 4 §), and why the GDPR does not apply (deceased, not personal data).
ALTER TABLE decisions ADD COLUMN fee_sek INTEGER;
ALTER TABLE decisions ADD COLUMN forwarded_to TEXT;
ALTER TABLE decisions ADD COLUMN forwarded_on DATE;
ALTER TABLE decisions ADD COLUMN not_applicable_because TEXT;
