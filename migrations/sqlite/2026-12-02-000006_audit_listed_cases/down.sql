ALTER TABLE audit_log DROP COLUMN case_ids;
