-- A cold report read every row of the day rollups in its period: fact_sku_days held about one row per line sold at
-- 100,000 lines, the customer rollups one per (first-order day, order day, effect day) and key, the channel rollup
-- one per (order day, effect day) and channel, and the claims one per (day, channel, SKU), so the read grew with the
-- ledger (issue 11 point 2). The month rollups hold the same sums by month (each date column the month's first day). A report takes the months that lie whole inside its period and on or before its as_of from them, and
-- only its edges from the days: the days of a partial first or last month, and the rows dated in as_of's own month.
-- The facts refresh rewrites a month's rows whenever it rewrites one of that month's order days, in the same
-- transaction (LineFactStore), so a month is always the sum of its days.
CREATE TABLE fact_sku_months (
    workspace_id        uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    marketplace         text COLLATE "C" NOT NULL,
    order_month         date NOT NULL CHECK (extract(day FROM order_month) = 1),
    sku                 text COLLATE "C" NOT NULL,
    effect_month        date NOT NULL CHECK (extract(day FROM effect_month) = 1),
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
    PRIMARY KEY (workspace_id, marketplace, order_month, sku, effect_month)
);

CREATE TABLE fact_customer_months (
    workspace_id        uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    marketplace         text COLLATE "C" NOT NULL,
    order_month         date NOT NULL CHECK (extract(day FROM order_month) = 1),
    first_month         date NOT NULL CHECK (extract(day FROM first_month) = 1),
    acquisition_channel text COLLATE "C" NOT NULL,
    is_first            boolean NOT NULL,
    effect_month        date NOT NULL CHECK (extract(day FROM effect_month) = 1),
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
    PRIMARY KEY (workspace_id, marketplace, order_month, first_month, acquisition_channel, is_first, effect_month)
);

CREATE TABLE fact_customer_count_months (
    workspace_id            uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    marketplace             text COLLATE "C" NOT NULL,
    order_month             date NOT NULL CHECK (extract(day FROM order_month) = 1),
    first_month             date NOT NULL CHECK (extract(day FROM first_month) = 1),
    acquisition_channel     text COLLATE "C" NOT NULL,
    new_customers           integer NOT NULL,
    identified_customers    integer NOT NULL,
    attributed_customers    integer NOT NULL,
    active_customers        integer NOT NULL,
    PRIMARY KEY (workspace_id, marketplace, order_month, first_month, acquisition_channel)
);

-- The channel rollup with every effect summed: when no effect of a period's orders is dated after its as_of (as_of
-- today, or after the last return), the trend's days and the channel rows read these instead of fact_channel_days.
CREATE TABLE fact_channel_totals (
    workspace_id        uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    marketplace         text COLLATE "C" NOT NULL,
    order_date          date NOT NULL,
    channel             text COLLATE "C" NOT NULL,
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
    PRIMARY KEY (workspace_id, marketplace, order_date, channel)
);

-- The attribution claims per day: the reports read their sums per marketplace, not one row per (channel, SKU).
CREATE TABLE fact_claim_days (
    workspace_id        uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    marketplace         text COLLATE "C" NOT NULL,
    date                date NOT NULL,
    claimed             bigint NOT NULL,
    taken               bigint NOT NULL,
    PRIMARY KEY (workspace_id, marketplace, date)
);

-- The edges a report reads from the days: order days of a partial month, and rows dated in as_of's month.
CREATE INDEX ix_fact_sku_days_order ON fact_sku_days (workspace_id, order_date);
CREATE INDEX ix_fact_sku_days_effect ON fact_sku_days (workspace_id, effect_date);
CREATE INDEX ix_fact_customer_days_order ON fact_customer_days (workspace_id, order_date);
CREATE INDEX ix_fact_customer_days_effect ON fact_customer_days (workspace_id, effect_date);
CREATE INDEX ix_fact_customer_counts_order ON fact_customer_counts (workspace_id, order_date);
CREATE INDEX ix_fact_channel_days_effect ON fact_channel_days (workspace_id, effect_date);

-- Ledgers written before this migration.
INSERT INTO fact_sku_months
SELECT workspace_id, marketplace, date_trunc('month', order_date)::date, sku, date_trunc('month', effect_date)::date,
       sum(units), sum(revenue), sum(commission), sum(logistics), sum(acquiring), sum(other_fees), sum(sold_cogs), sum(cogs_missing_lines), sum(returned_units), sum(nonrestock_units), sum(refund), sum(commission_refund), sum(return_logistics), sum(returned_cogs), sum(nonrestock_cogs), sum(share_revenue), sum(share_commission), sum(share_logistics), sum(share_acquiring), sum(share_other_fees)
FROM fact_sku_days
GROUP BY workspace_id, marketplace, date_trunc('month', order_date), sku, date_trunc('month', effect_date);

INSERT INTO fact_customer_months
SELECT workspace_id, marketplace, date_trunc('month', order_date)::date, date_trunc('month', first_date)::date,
       acquisition_channel, is_first, date_trunc('month', effect_date)::date,
       sum(units), sum(revenue), sum(commission), sum(logistics), sum(acquiring), sum(other_fees), sum(sold_cogs), sum(cogs_missing_lines), sum(returned_units), sum(nonrestock_units), sum(refund), sum(commission_refund), sum(return_logistics), sum(returned_cogs), sum(nonrestock_cogs), sum(share_revenue), sum(share_commission), sum(share_logistics), sum(share_acquiring), sum(share_other_fees)
FROM fact_customer_days
GROUP BY workspace_id, marketplace, date_trunc('month', order_date), date_trunc('month', first_date), acquisition_channel, is_first,
         date_trunc('month', effect_date);

INSERT INTO fact_customer_count_months
SELECT workspace_id, marketplace, date_trunc('month', order_date)::date, date_trunc('month', first_date)::date, acquisition_channel,
       sum(new_customers), sum(identified_customers), sum(attributed_customers), sum(active_customers)
FROM fact_customer_counts
GROUP BY workspace_id, marketplace, date_trunc('month', order_date), date_trunc('month', first_date), acquisition_channel;

INSERT INTO fact_channel_totals
SELECT workspace_id, marketplace, order_date, channel,
       sum(units), sum(revenue), sum(commission), sum(logistics), sum(acquiring), sum(other_fees), sum(sold_cogs), sum(cogs_missing_lines), sum(returned_units), sum(nonrestock_units), sum(refund), sum(commission_refund), sum(return_logistics), sum(returned_cogs), sum(nonrestock_cogs), sum(share_revenue), sum(share_commission), sum(share_logistics), sum(share_acquiring), sum(share_other_fees)
FROM fact_channel_days
GROUP BY workspace_id, marketplace, order_date, channel;

INSERT INTO fact_claim_days
SELECT workspace_id, marketplace, date, sum(claimed), sum(taken)
FROM attribution_claims
GROUP BY workspace_id, marketplace, date;
