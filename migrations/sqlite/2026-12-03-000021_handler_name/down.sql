ALTER TABLE case_parts DROP COLUMN handler_name;
