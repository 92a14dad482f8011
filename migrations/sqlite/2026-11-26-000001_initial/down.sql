DROP TABLE audit_log;
DROP TABLE idempotency_keys;
DROP TABLE reference_counters;
DROP TABLE case_events;
DROP TABLE case_parts;
DROP TABLE cases;
DROP TABLE controllers;
