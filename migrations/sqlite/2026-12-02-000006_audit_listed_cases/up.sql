-- A list or search answered with many cases is audited as one entry naming every case it showed
-- (space-separated ids), so "who saw case X" stays answerable at the cost of one row per answer.
ALTER TABLE audit_log ADD COLUMN case_ids TEXT;
