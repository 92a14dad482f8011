-- Running counts for the DPO's statistics, kept in the same transaction as every case change:
-- (dimension, key) -> n, e.g. ('status', 'received'), ('part', 'socialnamnden|open'),
-- ('received_month', '2026-03'), ('decided', '2026-03|12|1'). They outlive purged cases.
CREATE TABLE case_counts (
    dimension TEXT NOT NULL,
    key TEXT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (dimension, key)
);
INSERT INTO case_counts (dimension, key, n) SELECT 'status', status, count(*) FROM cases GROUP BY status;
INSERT INTO case_counts (dimension, key, n) SELECT 'kind', kind, count(*) FROM cases GROUP BY kind;
INSERT INTO case_counts (dimension, key, n) SELECT 'received_month', received_month, count(*) FROM cases GROUP BY received_month;
INSERT INTO case_counts (dimension, key, n)
    SELECT 'part', controller_id || '|' || status, count(*) FROM case_parts GROUP BY controller_id, status;
CREATE INDEX cases_status_extended ON cases (status, extended_deadline);
