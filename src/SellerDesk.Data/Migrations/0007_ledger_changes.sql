-- What each ledger version changed (docs/decisions/0009-report-freshness.md): a write of whole orders (a pull's
-- derivation) lists their keys, so reports patch those orders instead of re-reading the ledger; a file import or a
-- unit-cost change says 'all'. One row per version bump, written in the bump's transaction.
CREATE TABLE ledger_changes (
    workspace_id   uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    version        bigint NOT NULL,
    scope          text NOT NULL CHECK (scope IN ('all', 'orders')),
    marketplaces   text[] NULL,
    order_ids      text[] NULL,
    spend_or_fees  boolean NOT NULL DEFAULT false,
    created_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id, version)
);
