-- Every ledger row belongs to its source (docs/decisions/0010-source-ownership.md): the connection whose pull wrote
-- it, or the nil uuid for file imports (and the demo seeder). A pull writes, restates and deletes only its own rows;
-- a file never overwrites a connection's rows and a pull never overwrites another source's. Ad spend and period fees
-- carry the source in their keys, so two connections of one marketplace never share a key. Adding a column with a
-- constant default rewrites no row.
ALTER TABLE sales_lines ADD COLUMN source uuid NOT NULL DEFAULT '00000000-0000-0000-0000-000000000000';
ALTER TABLE returns ADD COLUMN source uuid NOT NULL DEFAULT '00000000-0000-0000-0000-000000000000';
ALTER TABLE ad_spend ADD COLUMN source uuid NOT NULL DEFAULT '00000000-0000-0000-0000-000000000000';
ALTER TABLE period_fees ADD COLUMN source uuid NOT NULL DEFAULT '00000000-0000-0000-0000-000000000000';

-- Rows already in the ledger: an order belongs to the connection whose source rows feed it (order_key is the ledger
-- order id); a fee or a pulled ad channel on a date belongs to the connection with source rows on that date. Where
-- two connections of one marketplace both claim an order or a date (issue 8, defect 1), the one that pulled last
-- wrote it last and gets it. Everything else belongs to files. Until now a pull replaced every fee of its
-- marketplace on the dates it derived, so a fee on such a date is the pull's; of ad spend it managed only the
-- channels the connectors produced, which are named here as they were when this was written.
CREATE TEMP TABLE migration_connection_recency ON COMMIT DROP AS
SELECT c.id, c.workspace_id, c.marketplace,
       coalesce((SELECT max(r.finished_at) FROM pull_runs r WHERE r.connection_id = c.id AND r.status = 'succeeded'), c.created_at) AS last_pull
FROM connections c;

CREATE TEMP TABLE migration_pulled_orders ON COMMIT DROP AS
SELECT DISTINCT ON (c.workspace_id, c.marketplace, s.order_key) c.workspace_id, c.marketplace, s.order_key, c.id AS connection_id
FROM source_rows s
JOIN migration_connection_recency c ON c.id = s.connection_id
WHERE s.order_key IS NOT NULL
ORDER BY c.workspace_id, c.marketplace, s.order_key, c.last_pull DESC, c.id;

CREATE TEMP TABLE migration_pulled_dates ON COMMIT DROP AS
SELECT DISTINCT ON (c.workspace_id, c.marketplace, s.business_date) c.workspace_id, c.marketplace, s.business_date, c.id AS connection_id
FROM source_rows s
JOIN migration_connection_recency c ON c.id = s.connection_id
ORDER BY c.workspace_id, c.marketplace, s.business_date, c.last_pull DESC, c.id;

UPDATE sales_lines t SET source = p.connection_id
FROM migration_pulled_orders p
WHERE t.workspace_id = p.workspace_id AND t.marketplace = p.marketplace AND t.order_id = p.order_key;

UPDATE returns t SET source = p.connection_id
FROM migration_pulled_orders p
WHERE t.workspace_id = p.workspace_id AND t.marketplace = p.marketplace AND t.order_id = p.order_key;

UPDATE period_fees t SET source = p.connection_id
FROM migration_pulled_dates p
WHERE t.workspace_id = p.workspace_id AND t.marketplace = p.marketplace AND t.date = p.business_date;

UPDATE ad_spend t SET source = p.connection_id
FROM migration_pulled_dates p
WHERE t.workspace_id = p.workspace_id AND t.marketplace = p.marketplace AND t.date = p.business_date
  AND (t.marketplace, t.channel) IN (('wildberries', 'wb_ads'), ('sandbox', 'sandbox_ads'), ('sandbox', 'sandbox_blogger'));

ALTER TABLE ad_spend DROP CONSTRAINT ad_spend_pkey;
ALTER TABLE ad_spend ADD PRIMARY KEY (workspace_id, date, marketplace, channel, source);
ALTER TABLE period_fees DROP CONSTRAINT period_fees_pkey;
ALTER TABLE period_fees ADD PRIMARY KEY (workspace_id, date, marketplace, kind, source);

-- One cabinet, one connection: the marketplace account a connection's credentials identify (WB token's seller id,
-- Ozon client_id, Yandex Market campaign_id, sandbox seed), when it can be read. Connections made before this are
-- filled in by the service when it next compares them.
ALTER TABLE connections ADD COLUMN account text NULL;
CREATE UNIQUE INDEX ux_connections_account ON connections (workspace_id, marketplace, account) WHERE account IS NOT NULL;

-- Run history outlives its connection: a deleted connection's runs keep its name and marketplace.
ALTER TABLE pull_runs ADD COLUMN connection_name text NULL;
ALTER TABLE pull_runs ADD COLUMN marketplace text NULL;
UPDATE pull_runs r SET connection_name = c.name, marketplace = c.marketplace FROM connections c WHERE c.id = r.connection_id;
ALTER TABLE pull_runs ALTER COLUMN connection_id DROP NOT NULL;
ALTER TABLE pull_runs DROP CONSTRAINT IF EXISTS pull_runs_connection_id_fkey;
ALTER TABLE pull_runs ADD CONSTRAINT pull_runs_connection_id_fkey
    FOREIGN KEY (connection_id) REFERENCES connections (id) ON DELETE SET NULL;

-- Reconciliation of a run in words (both languages, naming the orders and dates that differ), and the part of its
-- figures that lies in rows the mapping could not carry (pull_gaps).
ALTER TABLE pull_runs ADD COLUMN reconciliation text NULL;
ALTER TABLE pull_runs ADD COLUMN unmapped_payout numeric NULL;

-- Source money a derivation could not put into the ledger, with why and the raw rows it came from. A gap stays
-- current until its order (or, without an order, its date) is derived again; reconciliation counts current gaps.
CREATE TABLE pull_gaps (
    run_id         uuid NOT NULL REFERENCES pull_runs (id) ON DELETE CASCADE,
    seq            integer NOT NULL,
    workspace_id   uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    connection_id  uuid NULL REFERENCES connections (id) ON DELETE SET NULL,
    order_key      text COLLATE "C" NULL,
    business_date  date NOT NULL,
    reason         text NOT NULL,
    payout_effect  numeric NOT NULL,
    source_ids     text[] NOT NULL,
    payloads       text[] NOT NULL,
    is_current     boolean NOT NULL DEFAULT true,
    PRIMARY KEY (run_id, seq)
);
CREATE INDEX ix_pull_gaps_current_order ON pull_gaps (connection_id, order_key) WHERE is_current;
CREATE INDEX ix_pull_gaps_current_date ON pull_gaps (connection_id, business_date) WHERE is_current;

-- Orders whose source rows left them (dropped by a restatement, or moved to another order): derived again even when
-- no row of them is left, so their ledger rows go too.
CREATE TABLE source_pending_orders (
    connection_id  uuid NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    order_key      text COLLATE "C" NOT NULL,
    PRIMARY KEY (connection_id, order_key)
);
