-- Ledger keys compared byte-wise (docs/benchmarks.md): the database's libc collation (C.UTF-8 here) makes every
-- comparison of a text key column a strcoll() call, in each B-tree descent of the million inserts of a big import
-- and in every sort and merge on the key. The key columns of sales_lines and returns get the "C" collation. The
-- order does not change (C.UTF-8 sorts by code point, as "C" sorts UTF-8 bytes); equality never depended on it.
-- A comparison of one of these columns with text of the default collation is done in "C", so lookups by key from
-- other tables, parameters or staging tables still use the primary keys.
ALTER TABLE returns DROP CONSTRAINT IF EXISTS returns_workspace_id_marketplace_order_id_line_id_fkey;

ALTER TABLE sales_lines
    ALTER COLUMN marketplace TYPE text COLLATE "C",
    ALTER COLUMN order_id TYPE text COLLATE "C",
    ALTER COLUMN line_id TYPE text COLLATE "C";

ALTER TABLE returns
    ALTER COLUMN marketplace TYPE text COLLATE "C",
    ALTER COLUMN order_id TYPE text COLLATE "C",
    ALTER COLUMN line_id TYPE text COLLATE "C",
    ALTER COLUMN return_id TYPE text COLLATE "C";

ALTER TABLE returns ADD CONSTRAINT returns_workspace_id_marketplace_order_id_line_id_fkey
    FOREIGN KEY (workspace_id, marketplace, order_id, line_id)
    REFERENCES sales_lines (workspace_id, marketplace, order_id, line_id) ON DELETE CASCADE;
