DROP TABLE superseded_decisions;
