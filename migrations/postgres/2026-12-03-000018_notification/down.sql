ALTER TABLE appeals DROP COLUMN notified_from;
UPDATE appeals SET notified_on = received_on WHERE notified_on IS NULL;
UPDATE appeals SET last_day = received_on WHERE last_day IS NULL;
ALTER TABLE appeals ALTER COLUMN notified_on SET NOT NULL;
ALTER TABLE appeals ALTER COLUMN last_day SET NOT NULL;
ALTER TABLE letters DROP COLUMN notified_evidence;
ALTER TABLE letters DROP COLUMN notified_on;
