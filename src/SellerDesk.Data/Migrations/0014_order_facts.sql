-- Per-order facts kept with the ledger (issue 11, docs/decisions/0014-order-facts.md). Computed in C# by the domain
-- (metrics.md section 2 per line, summed per order; section 3 per customer) and written in the same transaction as the
-- ledger rows they come from. Reports sum these rows; as_of only filters local_date and return_date.
CREATE TABLE order_facts (
    workspace_id        uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    marketplace         text NOT NULL,
    order_id            text NOT NULL,
    source              uuid NOT NULL,
    ordered_at          timestamptz NOT NULL,
    local_date          date NOT NULL,
    customer_id         text NULL,
    channel             text NOT NULL,
    -- The sale side of the order's lines, summed (no return counted).
    revenue             numeric NOT NULL,
    net_revenue         numeric NOT NULL,
    margin              numeric NOT NULL,
    return_loss         numeric NOT NULL,
    units               integer NOT NULL,
    cogs_missing        integer NOT NULL,
    -- The order's customer (section 3): whether it is the customer's first order, and its first in its month; the
    -- customer's first order date and acquisition channel, and whether it has a buyer id.
    is_first            boolean NOT NULL,
    first_in_month      boolean NOT NULL,
    first_date          date NOT NULL,
    acquisition_channel text NOT NULL,
    identified          boolean NOT NULL,
    PRIMARY KEY (workspace_id, marketplace, order_id)
);
CREATE INDEX ix_order_facts_date ON order_facts (workspace_id, local_date);
CREATE INDEX ix_order_facts_customer ON order_facts (workspace_id, marketplace, customer_id) WHERE customer_id IS NOT NULL;
CREATE INDEX ix_order_facts_source ON order_facts (workspace_id, source);

-- The return effects of an order's lines dated on one local day, summed: a report as of a date adds those up to it.
CREATE TABLE order_return_facts (
    workspace_id        uuid NOT NULL,
    marketplace         text NOT NULL,
    order_id            text NOT NULL,
    return_date         date NOT NULL,
    net_revenue         numeric NOT NULL,
    margin              numeric NOT NULL,
    return_loss         numeric NOT NULL,
    returned_units      integer NOT NULL,
    PRIMARY KEY (workspace_id, marketplace, order_id, return_date),
    FOREIGN KEY (workspace_id, marketplace, order_id)
        REFERENCES order_facts (workspace_id, marketplace, order_id) ON DELETE CASCADE
);

-- Workspaces whose facts are still to be computed from their ledger (those that had one before this migration);
-- the application computes them right after migrating (OrderFactStore.BuildPendingAsync).
CREATE TABLE order_facts_pending (
    workspace_id uuid PRIMARY KEY REFERENCES workspaces (id) ON DELETE CASCADE
);
INSERT INTO order_facts_pending (workspace_id)
SELECT w.id FROM workspaces AS w WHERE EXISTS (SELECT 1 FROM sales_lines AS s WHERE s.workspace_id = w.id);
