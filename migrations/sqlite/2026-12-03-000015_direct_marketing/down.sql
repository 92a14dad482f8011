ALTER TABLE cases DROP COLUMN direct_marketing;
