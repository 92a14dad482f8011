ALTER TABLE cases DROP COLUMN diarienummer;
