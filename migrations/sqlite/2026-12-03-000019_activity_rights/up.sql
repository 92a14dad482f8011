-- What the extract tells per activity beyond the register's usual columns (domain.md §6a):
-- automated decision-making, including profiling, with its logic and consequences
-- (Art. 15(1)(h)), and the safeguards of a transfer to a third country (Art. 15(2), Art. 46).
ALTER TABLE activities ADD COLUMN automated_decision_making TEXT;
ALTER TABLE activities ADD COLUMN transfer_safeguards TEXT;
