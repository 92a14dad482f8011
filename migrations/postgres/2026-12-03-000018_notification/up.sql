-- The day the person was notified of a letter (domain.md §9): recorded from a mottagningsbevis, a
-- rekommenderat brev handed over, a handover at the desk or the person's own word, with how it
-- is known. An e-mailed letter counts from the day the e-mail reached the person's mail server.
ALTER TABLE letters ADD COLUMN notified_on DATE;
ALTER TABLE letters ADD COLUMN notified_evidence TEXT;
-- An appeal is tried for time against the day of notification and where that day comes from.
-- When no day can be shown the appeal is in time (the authority bears the proof).
ALTER TABLE appeals ALTER COLUMN notified_on DROP NOT NULL;
ALTER TABLE appeals ALTER COLUMN last_day DROP NOT NULL;
ALTER TABLE appeals ADD COLUMN notified_from TEXT NOT NULL DEFAULT 'given';
