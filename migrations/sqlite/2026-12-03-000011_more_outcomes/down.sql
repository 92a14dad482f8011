ALTER TABLE decisions DROP COLUMN not_applicable_because;
ALTER TABLE decisions DROP COLUMN forwarded_on;
ALTER TABLE decisions DROP COLUMN forwarded_to;
ALTER TABLE decisions DROP COLUMN fee_sek;
