ALTER TABLE cases DROP COLUMN protected_identity;
