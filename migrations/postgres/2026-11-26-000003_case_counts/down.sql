DROP INDEX cases_status_extended;
DROP TABLE case_counts;
