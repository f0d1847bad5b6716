-- Rollups of the stored order facts (issue 11, docs/decisions/0016-report-rollups.md): the order facts of 0014 summed
-- per (marketplace, order date, customer's first-order date, acquisition channel) -- the grain of the reports' OrderDay
-- rows -- and their return effects per the same key and return date. A report as of a date reads these rows (local_date
-- and return_date up to it) instead of every order. OrderFactStore keeps them in the transaction that writes the facts:
-- every (marketplace, local_date) whose orders' facts changed is summed again from order_facts.
CREATE TABLE report_days (
    workspace_id        uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    marketplace         text NOT NULL,
    local_date          date NOT NULL,
    first_date          date NOT NULL,
    acquisition_channel text NOT NULL,
    orders              integer NOT NULL,
    revenue             numeric NOT NULL,
    net_revenue         numeric NOT NULL,
    margin              numeric NOT NULL,
    return_loss         numeric NOT NULL,
    units               bigint NOT NULL,
    cogs_missing        bigint NOT NULL,
    new_customers       integer NOT NULL,
    new_identified      integer NOT NULL,
    first_margin        numeric NOT NULL,
    active              integer NOT NULL,
    PRIMARY KEY (workspace_id, marketplace, local_date, first_date, acquisition_channel)
);

CREATE TABLE report_day_returns (
    workspace_id        uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    marketplace         text NOT NULL,
    local_date          date NOT NULL,
    first_date          date NOT NULL,
    acquisition_channel text NOT NULL,
    return_date         date NOT NULL,
    net_revenue         numeric NOT NULL,
    margin              numeric NOT NULL,
    return_loss         numeric NOT NULL,
    returned_units      bigint NOT NULL,
    first_margin        numeric NOT NULL,
    PRIMARY KEY (workspace_id, marketplace, local_date, first_date, acquisition_channel, return_date)
);

-- The facts already stored (workspaces still in order_facts_pending get theirs when their facts are built).
INSERT INTO report_days
SELECT workspace_id, marketplace, local_date, first_date, acquisition_channel, count(*),
       sum(revenue), sum(net_revenue), sum(margin), sum(return_loss), sum(units), sum(cogs_missing),
       count(*) FILTER (WHERE is_first), count(*) FILTER (WHERE is_first AND identified),
       coalesce(sum(margin) FILTER (WHERE is_first), 0), count(*) FILTER (WHERE first_in_month)
FROM order_facts
GROUP BY workspace_id, marketplace, local_date, first_date, acquisition_channel;

INSERT INTO report_day_returns
SELECT f.workspace_id, f.marketplace, f.local_date, f.first_date, f.acquisition_channel, r.return_date,
       sum(r.net_revenue), sum(r.margin), sum(r.return_loss), sum(r.returned_units),
       coalesce(sum(r.margin) FILTER (WHERE f.is_first), 0)
FROM order_return_facts AS r
JOIN order_facts AS f ON f.workspace_id = r.workspace_id AND f.marketplace = r.marketplace AND f.order_id = r.order_id
GROUP BY f.workspace_id, f.marketplace, f.local_date, f.first_date, f.acquisition_channel, r.return_date;

-- The fact tables lose their per-row foreign keys (as sales_lines did in 0004): a million-order import spent seconds on
-- one referential check per COPYed row, and deleting an order's facts fired one cascade per order. OrderFactStore
-- deletes an order's return facts with its facts, set-based, under the workspace's ledger lock.
DO $$
DECLARE c record;
BEGIN
    FOR c IN SELECT conrelid::regclass AS tab, conname FROM pg_constraint
             WHERE contype = 'f' AND conrelid IN ('order_facts'::regclass, 'order_return_facts'::regclass)
    LOOP
        EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', c.tab, c.conname);
    END LOOP;
END $$;

-- One index less to maintain on every fact written: a source's facts are found by date (ix_order_facts_date) and the
-- rare re-sourcing of a deleted connection's facts reads the workspace's rows.
DROP INDEX IF EXISTS ix_order_facts_source;
