-- Pull throughput (issue 3, docs/benchmarks.md "Wildberries pull"): a 200 000-line pull spent about a third of its time
-- writing every source row twice, once by the merge with needs_derivation = true and again to clear the flag after the
-- derivation. The merge now records the dates it changed here instead (derivation re-derives whole dates anyway), in
-- the same transaction, and the derivation deletes them when the ledger is written. needs_derivation stays: the runner
-- sets it on the rows of the pending dates when a derivation fails, and honours it when it finds it set.
CREATE TABLE source_pending_dates (
    connection_id  uuid NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    business_date  date NOT NULL,
    PRIMARY KEY (connection_id, business_date)
);

-- Staging rows live only while their run fetches; after a crash of the server the run is abandoned anyway (its
-- clean-up marks it failed), so they need no WAL.
ALTER TABLE pull_staging SET UNLOGGED;

-- The payload is kept as the text the marketplace sent (still its JSON, byte for byte) rather than jsonb: a pull
-- parsed every payload into jsonb when staging it and printed it back to text whenever the mapping read it, a third
-- of PostgreSQL's time in a pull, and nothing queries inside payloads. Cast to jsonb to look inside one. The merge
-- still compares payloads as JSON when their text differs, so a row re-sent with its keys in another order (or a row
-- converted here, which jsonb had normalised) is not taken for a restatement.
ALTER TABLE pull_staging ALTER COLUMN payload TYPE text;
ALTER TABLE source_rows ALTER COLUMN payload TYPE text;

-- PostgreSQL checks a foreign key row by row: two checks per merged source row and one per staged row were about a
-- fifth of a pull's database time. The pull runner checks them once instead: each staged page's transaction updates
-- its run's row (locking it), and the merge's transaction takes its connection's row FOR KEY SHARE, as the checks
-- did; the cascades become statement triggers (a workspace's deletion still reaches them through connections).
ALTER TABLE source_rows DROP CONSTRAINT IF EXISTS source_rows_connection_id_fkey;
ALTER TABLE source_rows DROP CONSTRAINT IF EXISTS source_rows_workspace_id_fkey;
ALTER TABLE pull_staging DROP CONSTRAINT IF EXISTS pull_staging_run_id_fkey;

CREATE FUNCTION sellerdesk_connections_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM source_rows WHERE connection_id IN (SELECT id FROM deleted_connections);
    RETURN NULL;
END
$$;
CREATE TRIGGER tr_connections_deleted AFTER DELETE ON connections
    REFERENCING OLD TABLE AS deleted_connections FOR EACH STATEMENT EXECUTE FUNCTION sellerdesk_connections_deleted();

CREATE FUNCTION sellerdesk_pull_runs_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM pull_staging WHERE run_id IN (SELECT id FROM deleted_runs);
    RETURN NULL;
END
$$;
CREATE TRIGGER tr_pull_runs_deleted AFTER DELETE ON pull_runs
    REFERENCING OLD TABLE AS deleted_runs FOR EACH STATEMENT EXECUTE FUNCTION sellerdesk_pull_runs_deleted();
