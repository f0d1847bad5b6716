-- Where every sales line and return came from (issue 12 point 4, decision 0028), kept the way attribution rows keep it
-- since 0016: a row written from an uploaded file names the file (import_file) and the physical line its record starts
-- on (import_line; the header is line 1); a row a pull wrote names the pull run (run_id) that gave it its current values; its connection is the row's source (0010),
-- and the marketplace's own rows it was made of are the connection's source_rows of its order (order_key). Rows written
-- before this migration, and the demo seeder's, have none of them. Nullable columns without a default rewrite no row.
ALTER TABLE sales_lines ADD COLUMN import_file text NULL;
ALTER TABLE sales_lines ADD COLUMN import_line integer NULL;
ALTER TABLE sales_lines ADD COLUMN run_id uuid NULL;
ALTER TABLE returns ADD COLUMN import_file text NULL;
ALTER TABLE returns ADD COLUMN import_line integer NULL;
ALTER TABLE returns ADD COLUMN run_id uuid NULL;

-- Keyset paging of the drill-down (orders by local date, marketplace, order id) over the whole workspace.
CREATE INDEX ix_customer_order_facts_keyset ON customer_order_facts (workspace_id, order_date, marketplace, order_id);
