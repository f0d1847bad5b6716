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
