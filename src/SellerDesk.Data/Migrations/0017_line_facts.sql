-- Per-line facts computed by the domain (issue 11 point 1, issue 14 point 1; metrics.md sections 2, 3 and 3.1):
-- what EconomicsFacts holds, kept in PostgreSQL by OrderFactStore in the transaction of each ledger write. Reports
-- read ReportSums from these with sums and GROUP BY only; as_of and the period only filter.
--
-- The components of LineEconomics (metrics.md section 2 as an additive vector). A line's sale is one line_facts
-- row (return-side components 0); each of its returns is one line_return_facts row (sale-side components 0), dated by
-- its local return date. Both carry the line's marketplace, order, SKU and local order date so that reports group
-- them alike.
CREATE TABLE line_facts (
    workspace_id        uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    marketplace         text COLLATE "C" NOT NULL,
    order_id            text COLLATE "C" NOT NULL,
    line_id             text COLLATE "C" NOT NULL,
    sku                 text COLLATE "C" NOT NULL,
    order_date          date NOT NULL,
    units               numeric NOT NULL,
    revenue             numeric NOT NULL,
    commission          numeric NOT NULL,
    logistics           numeric NOT NULL,
    acquiring           numeric NOT NULL,
    other_fees          numeric NOT NULL,
    sold_cogs           numeric NOT NULL,
    cogs_missing_lines  numeric NOT NULL,
    returned_units      numeric NOT NULL,
    nonrestock_units    numeric NOT NULL,
    refund              numeric NOT NULL,
    commission_refund   numeric NOT NULL,
    return_logistics    numeric NOT NULL,
    returned_cogs       numeric NOT NULL,
    nonrestock_cogs     numeric NOT NULL,
    share_revenue       numeric NOT NULL,
    share_commission    numeric NOT NULL,
    share_logistics     numeric NOT NULL,
    share_acquiring     numeric NOT NULL,
    share_other_fees    numeric NOT NULL,
    PRIMARY KEY (workspace_id, marketplace, order_id, line_id)
);
CREATE INDEX ix_line_facts_date ON line_facts (workspace_id, order_date);

CREATE TABLE line_return_facts (LIKE line_facts INCLUDING DEFAULTS);
ALTER TABLE line_return_facts ADD COLUMN return_id text COLLATE "C" NOT NULL;
ALTER TABLE line_return_facts ADD COLUMN return_date date NOT NULL;
ALTER TABLE line_return_facts ADD PRIMARY KEY (workspace_id, marketplace, order_id, line_id, return_id);
CREATE INDEX ix_line_return_facts_date ON line_return_facts (workspace_id, order_date);

-- One row per order: its customer (sections 3) and effective channel (3.1). customer_key is the buyer id, or
-- 'order:' + order id for an order without one.
CREATE TABLE customer_order_facts (
    workspace_id            uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    marketplace             text COLLATE "C" NOT NULL,
    order_id                text COLLATE "C" NOT NULL,
    ordered_at              timestamptz NOT NULL,
    order_date              date NOT NULL,
    customer_id             text COLLATE "C" NULL,
    customer_key            text COLLATE "C" NOT NULL,
    identified              boolean NOT NULL,
    ledger_channel          text COLLATE "C" NOT NULL,
    channel                 text COLLATE "C" NOT NULL,
    attributed              boolean NOT NULL,
    is_first                boolean NOT NULL,
    first_date              date NOT NULL,
    acquisition_channel     text COLLATE "C" NOT NULL,
    acquisition_attributed  boolean NOT NULL,
    first_in_month          boolean NOT NULL,
    PRIMARY KEY (workspace_id, marketplace, order_id)
);
CREATE INDEX ix_customer_order_facts_date ON customer_order_facts (workspace_id, marketplace, order_date);
CREATE INDEX ix_customer_order_facts_customer ON customer_order_facts (workspace_id, marketplace, customer_key);
CREATE INDEX ix_customer_order_facts_first ON customer_order_facts (workspace_id, first_date);

-- What each attribution row (summed over sources with the same key) claimed and took (3.1), dated by the row.
CREATE TABLE attribution_claims (
    workspace_id  uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    date          date NOT NULL,
    marketplace   text COLLATE "C" NOT NULL,
    channel       text COLLATE "C" NOT NULL,
    sku           text COLLATE "C" NOT NULL,
    claimed       integer NOT NULL,
    taken         integer NOT NULL,
    PRIMARY KEY (workspace_id, date, marketplace, channel, sku)
);

-- Ledgers written before this migration get their facts computed right after it (OrderFactStore.BuildPendingAsync).
INSERT INTO order_facts_pending (workspace_id)
SELECT w.id FROM workspaces AS w
WHERE EXISTS (SELECT 1 FROM sales_lines AS s WHERE s.workspace_id = w.id)
   OR EXISTS (SELECT 1 FROM attribution_rows AS a WHERE a.workspace_id = w.id)
ON CONFLICT DO NOTHING;

-- Rollups of those facts, so that a report reads rows in proportion to days and keys, not to orders. Each sums the
-- line facts of one (marketplace, local order date) by the key one kind of report groups by, and by effect_date: the
-- order date for the sale side, the return date for a return's effect (a report as of a date takes the rows with
-- effect_date up to it). OrderFactStore sums the rows of every day whose facts it wrote again.
CREATE TABLE fact_sku_days (
    workspace_id        uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    marketplace         text COLLATE "C" NOT NULL,
    order_date          date NOT NULL,
    sku                 text COLLATE "C" NOT NULL,
    effect_date         date NOT NULL,
    units               numeric NOT NULL,
    revenue             numeric NOT NULL,
    commission          numeric NOT NULL,
    logistics           numeric NOT NULL,
    acquiring           numeric NOT NULL,
    other_fees          numeric NOT NULL,
    sold_cogs           numeric NOT NULL,
    cogs_missing_lines  numeric NOT NULL,
    returned_units      numeric NOT NULL,
    nonrestock_units    numeric NOT NULL,
    refund              numeric NOT NULL,
    commission_refund   numeric NOT NULL,
    return_logistics    numeric NOT NULL,
    returned_cogs       numeric NOT NULL,
    nonrestock_cogs     numeric NOT NULL,
    share_revenue       numeric NOT NULL,
    share_commission    numeric NOT NULL,
    share_logistics     numeric NOT NULL,
    share_acquiring     numeric NOT NULL,
    share_other_fees    numeric NOT NULL,
    PRIMARY KEY (workspace_id, marketplace, order_date, sku, effect_date)
);

CREATE TABLE fact_channel_days (
    workspace_id        uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    marketplace         text COLLATE "C" NOT NULL,
    order_date          date NOT NULL,
    channel             text COLLATE "C" NOT NULL,
    effect_date         date NOT NULL,
    units               numeric NOT NULL,
    revenue             numeric NOT NULL,
    commission          numeric NOT NULL,
    logistics           numeric NOT NULL,
    acquiring           numeric NOT NULL,
    other_fees          numeric NOT NULL,
    sold_cogs           numeric NOT NULL,
    cogs_missing_lines  numeric NOT NULL,
    returned_units      numeric NOT NULL,
    nonrestock_units    numeric NOT NULL,
    refund              numeric NOT NULL,
    commission_refund   numeric NOT NULL,
    return_logistics    numeric NOT NULL,
    returned_cogs       numeric NOT NULL,
    nonrestock_cogs     numeric NOT NULL,
    share_revenue       numeric NOT NULL,
    share_commission    numeric NOT NULL,
    share_logistics     numeric NOT NULL,
    share_acquiring     numeric NOT NULL,
    share_other_fees    numeric NOT NULL,
    PRIMARY KEY (workspace_id, marketplace, order_date, channel, effect_date)
);

-- The customer rollups: the lines of each day's orders by their customers' first-order date and acquisition channel,
-- first orders apart; and the counts of first orders (identified, attributed) and first orders in the month.
CREATE TABLE fact_customer_days (
    workspace_id        uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    marketplace         text COLLATE "C" NOT NULL,
    order_date          date NOT NULL,
    first_date          date NOT NULL,
    acquisition_channel text COLLATE "C" NOT NULL,
    is_first            boolean NOT NULL,
    effect_date         date NOT NULL,
    units               numeric NOT NULL,
    revenue             numeric NOT NULL,
    commission          numeric NOT NULL,
    logistics           numeric NOT NULL,
    acquiring           numeric NOT NULL,
    other_fees          numeric NOT NULL,
    sold_cogs           numeric NOT NULL,
    cogs_missing_lines  numeric NOT NULL,
    returned_units      numeric NOT NULL,
    nonrestock_units    numeric NOT NULL,
    refund              numeric NOT NULL,
    commission_refund   numeric NOT NULL,
    return_logistics    numeric NOT NULL,
    returned_cogs       numeric NOT NULL,
    nonrestock_cogs     numeric NOT NULL,
    share_revenue       numeric NOT NULL,
    share_commission    numeric NOT NULL,
    share_logistics     numeric NOT NULL,
    share_acquiring     numeric NOT NULL,
    share_other_fees    numeric NOT NULL,
    PRIMARY KEY (workspace_id, marketplace, order_date, first_date, acquisition_channel, is_first, effect_date)
);
CREATE INDEX ix_fact_customer_days_first ON fact_customer_days (workspace_id, first_date);

CREATE TABLE fact_customer_counts (
    workspace_id            uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    marketplace             text COLLATE "C" NOT NULL,
    order_date              date NOT NULL,
    first_date              date NOT NULL,
    acquisition_channel     text COLLATE "C" NOT NULL,
    new_customers           integer NOT NULL,
    identified_customers    integer NOT NULL,
    attributed_customers    integer NOT NULL,
    active_customers        integer NOT NULL,
    PRIMARY KEY (workspace_id, marketplace, order_date, first_date, acquisition_channel)
);
CREATE INDEX ix_fact_customer_counts_first ON fact_customer_counts (workspace_id, first_date);
