DROP INDEX cases_representative_personnummer;
ALTER TABLE audit_log DROP COLUMN detail;
