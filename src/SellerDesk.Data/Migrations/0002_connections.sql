-- Marketplace connections, their pull runs, the raw rows they fetched, and Data Protection keys
-- (docs/decisions/0006-marketplace-pulls.md).

CREATE TABLE connections (
    id                  uuid PRIMARY KEY,
    workspace_id        uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    marketplace         text NOT NULL,
    name                text NOT NULL,
    -- Credentials as JSON, protected with ASP.NET Core Data Protection; never returned by the API.
    protected_credentials text NOT NULL,
    base_url            text NULL,
    status              text NOT NULL DEFAULT 'new',
    last_error          text NULL,
    schedule_cron       text NULL,
    window_days         integer NOT NULL DEFAULT 14 CHECK (window_days BETWEEN 1 AND 366),
    schedule_enabled    boolean NOT NULL DEFAULT false,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT ux_connections_workspace_name UNIQUE (workspace_id, name)
);

CREATE TABLE pull_runs (
    id              uuid PRIMARY KEY,
    workspace_id    uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    connection_id   uuid NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    trigger         text NOT NULL,
    status          text NOT NULL,
    period_from     date NOT NULL,
    period_to       date NOT NULL,
    pages_read      integer NOT NULL DEFAULT 0,
    rows_read       integer NOT NULL DEFAULT 0,
    inserted        integer NOT NULL DEFAULT 0,
    updated         integer NOT NULL DEFAULT 0,
    error           text NULL,
    marketplace_payout numeric NULL,
    ledger_payout   numeric NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    started_at      timestamptz NULL,
    finished_at     timestamptz NULL
);
CREATE INDEX ix_pull_runs_connection ON pull_runs (connection_id, created_at DESC);

-- Every row a marketplace gave, keyed by its own id; ledger rows are derived from these.
CREATE TABLE source_rows (
    connection_id     uuid NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    feed              text NOT NULL,
    source_id         text NOT NULL,
    workspace_id      uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    order_key         text NULL,
    business_date     date NOT NULL,
    payload           jsonb NOT NULL,
    needs_derivation  boolean NOT NULL DEFAULT true,
    last_run_id       uuid NULL,
    PRIMARY KEY (connection_id, feed, source_id)
);
CREATE INDEX ix_source_rows_order ON source_rows (connection_id, order_key);
CREATE INDEX ix_source_rows_date ON source_rows (connection_id, business_date);
CREATE INDEX ix_source_rows_pending ON source_rows (connection_id) WHERE needs_derivation;

-- Pages fetched by a run that has not finished; merged into source_rows in one transaction at its end.
CREATE TABLE pull_staging (
    run_id         uuid NOT NULL REFERENCES pull_runs (id) ON DELETE CASCADE,
    feed           text NOT NULL,
    source_id      text NOT NULL,
    order_key      text NULL,
    business_date  date NOT NULL,
    payload        jsonb NOT NULL
);
CREATE INDEX ix_pull_staging_run ON pull_staging (run_id);

-- ASP.NET Core Data Protection key ring, shared by every node and kept across restarts.
CREATE TABLE data_protection_keys (
    id             serial PRIMARY KEY,
    friendly_name  text NOT NULL,
    xml            text NOT NULL,
    CONSTRAINT ux_data_protection_keys_name UNIQUE (friendly_name)
);
