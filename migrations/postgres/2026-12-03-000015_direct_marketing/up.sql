-- An objection to direct marketing (Art. 21(2)-(3)) is granted without assessment.
ALTER TABLE cases ADD COLUMN direct_marketing BOOLEAN NOT NULL DEFAULT FALSE;
