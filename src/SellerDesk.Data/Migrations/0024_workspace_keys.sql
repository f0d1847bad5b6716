-- Every key of a workspace's table begins with workspace_id (docs/scaling.md, issue 11): the shape PostgreSQL
-- distributed by workspace (Citus) needs, where a row, its keys and the rows it references live on one node.
-- Connections, pull runs and the pull tables were keyed by their own ids; the source queues and the staging had no
-- workspace at all. MigratedSchemaTests.Every_key_of_a_workspace_table_begins_with_workspace_id reads the catalog.

-- The foreign keys go first: they hold the primary keys being replaced.
ALTER TABLE pull_runs DROP CONSTRAINT IF EXISTS pull_runs_connection_id_fkey;
ALTER TABLE pull_gaps DROP CONSTRAINT IF EXISTS pull_gaps_run_id_fkey;
ALTER TABLE pull_gaps DROP CONSTRAINT IF EXISTS pull_gaps_connection_id_fkey;
ALTER TABLE source_pending_dates DROP CONSTRAINT IF EXISTS source_pending_dates_connection_id_fkey;
ALTER TABLE source_pending_orders DROP CONSTRAINT IF EXISTS source_pending_orders_connection_id_fkey;

ALTER TABLE connections DROP CONSTRAINT connections_pkey;
ALTER TABLE connections ADD PRIMARY KEY (workspace_id, id);

ALTER TABLE pull_runs DROP CONSTRAINT pull_runs_pkey;
ALTER TABLE pull_runs ADD PRIMARY KEY (workspace_id, id);
-- A deleted connection's runs stay, with its name (0010): only connection_id is cleared.
ALTER TABLE pull_runs ADD CONSTRAINT pull_runs_connection_fkey
    FOREIGN KEY (workspace_id, connection_id) REFERENCES connections (workspace_id, id) ON DELETE SET NULL (connection_id);

ALTER TABLE pull_gaps DROP CONSTRAINT pull_gaps_pkey;
ALTER TABLE pull_gaps ADD PRIMARY KEY (workspace_id, run_id, seq);
ALTER TABLE pull_gaps ADD CONSTRAINT pull_gaps_run_fkey
    FOREIGN KEY (workspace_id, run_id) REFERENCES pull_runs (workspace_id, id) ON DELETE CASCADE;
ALTER TABLE pull_gaps ADD CONSTRAINT pull_gaps_connection_fkey
    FOREIGN KEY (workspace_id, connection_id) REFERENCES connections (workspace_id, id) ON DELETE SET NULL (connection_id);

-- Source rows have no foreign key since 0008 (a statement trigger on connections deletes them, below).
ALTER TABLE source_rows DROP CONSTRAINT source_rows_pkey;
ALTER TABLE source_rows ADD PRIMARY KEY (workspace_id, connection_id, feed, source_id);
DROP INDEX IF EXISTS ix_source_rows_order;
DROP INDEX IF EXISTS ix_source_rows_date;
DROP INDEX IF EXISTS ix_source_rows_pending;
CREATE INDEX ix_source_rows_order ON source_rows (workspace_id, connection_id, order_key);
CREATE INDEX ix_source_rows_date ON source_rows (workspace_id, connection_id, business_date);
CREATE INDEX ix_source_rows_pending ON source_rows (workspace_id, connection_id) WHERE needs_derivation;

-- The queues of dates and orders to derive again: their rows are worth nothing without their connection.
ALTER TABLE source_pending_dates ADD COLUMN workspace_id uuid NULL;
UPDATE source_pending_dates p SET workspace_id = c.workspace_id FROM connections c WHERE c.id = p.connection_id;
DELETE FROM source_pending_dates WHERE workspace_id IS NULL;
ALTER TABLE source_pending_dates ALTER COLUMN workspace_id SET NOT NULL;
ALTER TABLE source_pending_dates DROP CONSTRAINT source_pending_dates_pkey;
ALTER TABLE source_pending_dates ADD PRIMARY KEY (workspace_id, connection_id, business_date);
ALTER TABLE source_pending_dates ADD CONSTRAINT source_pending_dates_connection_fkey
    FOREIGN KEY (workspace_id, connection_id) REFERENCES connections (workspace_id, id) ON DELETE CASCADE;

ALTER TABLE source_pending_orders ADD COLUMN workspace_id uuid NULL;
UPDATE source_pending_orders p SET workspace_id = c.workspace_id FROM connections c WHERE c.id = p.connection_id;
DELETE FROM source_pending_orders WHERE workspace_id IS NULL;
ALTER TABLE source_pending_orders ALTER COLUMN workspace_id SET NOT NULL;
ALTER TABLE source_pending_orders DROP CONSTRAINT source_pending_orders_pkey;
ALTER TABLE source_pending_orders ADD PRIMARY KEY (workspace_id, connection_id, order_key);
ALTER TABLE source_pending_orders ADD CONSTRAINT source_pending_orders_connection_fkey
    FOREIGN KEY (workspace_id, connection_id) REFERENCES connections (workspace_id, id) ON DELETE CASCADE;

-- Staging of unfinished runs (unlogged, no keys): it names its workspace so it lives beside the run's rows.
ALTER TABLE pull_staging ADD COLUMN workspace_id uuid NULL;
UPDATE pull_staging st SET workspace_id = r.workspace_id FROM pull_runs r WHERE r.id = st.run_id;
DELETE FROM pull_staging WHERE workspace_id IS NULL;
ALTER TABLE pull_staging ALTER COLUMN workspace_id SET NOT NULL;
DROP INDEX IF EXISTS ix_pull_staging_run;
CREATE INDEX ix_pull_staging_run ON pull_staging (workspace_id, run_id);

-- The statement triggers of 0008 that stand for the source rows' and staging's cascades find them by the new keys.
CREATE OR REPLACE FUNCTION sellerdesk_connections_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM source_rows AS s USING deleted_connections AS d WHERE s.workspace_id = d.workspace_id AND s.connection_id = d.id;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION sellerdesk_pull_runs_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM pull_staging AS st USING deleted_runs AS d WHERE st.workspace_id = d.workspace_id AND st.run_id = d.id;
    RETURN NULL;
END
$$;

-- A queued run is started by its id alone (the job's argument), and a run's connection is looked up by its id: plain
-- (non-unique) indexes keep those lookups direct on one database. Sharded, they would ask every node (docs/scaling.md).
CREATE INDEX ix_pull_runs_id ON pull_runs (id);
CREATE INDEX ix_connections_id ON connections (id);
