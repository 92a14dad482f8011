ALTER TABLE activities DROP COLUMN transfer_safeguards;
ALTER TABLE activities DROP COLUMN automated_decision_making;
