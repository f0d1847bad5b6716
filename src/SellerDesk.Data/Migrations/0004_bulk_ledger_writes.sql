-- Bulk ledger writes (docs/benchmarks.md): a million-line import spent 4.7 s on the per-row foreign-key check of
-- sales_lines.workspace_id and about 3 s maintaining ix_sales_lines_ordered_at, which no query needs (reports read a
-- workspace's whole ledger up to as_of through the primary key). The importer checks that the workspace exists and
-- holds its ledger lock; returns still reference their sales line.
ALTER TABLE sales_lines DROP CONSTRAINT IF EXISTS sales_lines_workspace_id_fkey;
DROP INDEX IF EXISTS ix_sales_lines_ordered_at;
