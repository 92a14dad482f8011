ALTER TABLE decisions DROP COLUMN delegation;
ALTER TABLE decisions DROP COLUMN decision_maker_title;
ALTER TABLE decisions DROP COLUMN decision_maker_name;
ALTER TABLE decisions DROP COLUMN legal_grounds;
