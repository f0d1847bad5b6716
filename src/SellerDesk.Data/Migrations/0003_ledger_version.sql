-- Every write that changes a workspace's ledger increments its version, so report aggregates read at an older
-- version are known to be stale (docs/decisions/0004-report-computation.md).
ALTER TABLE workspaces ADD COLUMN ledger_version bigint NOT NULL DEFAULT 0;
