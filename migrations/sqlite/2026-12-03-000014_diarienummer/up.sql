-- The municipality's own diarienummer of the case (OSL 5 kap. 1 §: an allmän handling is
-- registered without delay), set at intake or later, and printed on every letter.
ALTER TABLE cases ADD COLUMN diarienummer TEXT;
