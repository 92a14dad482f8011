-- The handläggare's name as their letters' letterhead shows it (the token's name claim when they
-- took the part, or the name given when assigned); the handler column keeps their sub.
ALTER TABLE case_parts ADD COLUMN handler_name TEXT;
