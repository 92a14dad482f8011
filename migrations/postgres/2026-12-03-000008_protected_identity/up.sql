-- A case about a person with sekretessmarkering or skyddad folkbokföring (OSL 21 kap. 3 §,
-- 22 kap. 1 §): contact data only to the assigned handläggare and administrators, no content
-- by e-mail, delivery by pickup or through Skatteverket, every read audited with a reason.
ALTER TABLE cases ADD COLUMN protected_identity BOOLEAN NOT NULL DEFAULT FALSE;
