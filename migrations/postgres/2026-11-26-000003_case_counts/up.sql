-- Running counts for the DPO's statistics, kept in the same transaction as every case change:
-- (dimension, key) -> n, e.g. ('status', 'received'), ('part', 'socialnamnden|open'),
-- ('received_month', '2026-03'), ('decided', '2026-03|12|1'). They outlive purged cases.
-- On PostgreSQL each count is spread over a few shards so concurrent transactions do not queue
-- on one row; the statistics add the shards up.
CREATE TABLE case_counts (
    dimension TEXT NOT NULL,
    key TEXT NOT NULL,
    shard INTEGER NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (dimension, key, shard)
);
INSERT INTO case_counts (dimension, key, shard, n) SELECT 'status', status, 0, count(*) FROM cases GROUP BY status;
INSERT INTO case_counts (dimension, key, shard, n) SELECT 'kind', kind, 0, count(*) FROM cases GROUP BY kind;
INSERT INTO case_counts (dimension, key, shard, n) SELECT 'received_month', received_month, 0, count(*) FROM cases GROUP BY received_month;
INSERT INTO case_counts (dimension, key, shard, n)
    SELECT 'part', controller_id || '|' || status, 0, count(*) FROM case_parts GROUP BY controller_id, status;
CREATE INDEX cases_status_extended ON cases (status, extended_deadline);
