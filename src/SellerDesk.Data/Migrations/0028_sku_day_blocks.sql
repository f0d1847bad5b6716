-- Day blocks for a partial month's sales (issue 11 point 2; decision 0032). A report whose period starts or ends
-- inside a month, or whose as_of lies inside one, reads that month's days from fact_sku_days (decision 0030): at 1M
-- lines about 52,000 rows for a December read up to the 30th, each with 20 numeric sums, the larger part of a cold
-- report. fact_sku_blocks holds the same sums over aligned blocks of 4 and 16 days of a month (a block starts
-- on day 1 + k * block_days of its month and ends at the month's end at the latest), for the effects dated on their
-- order day: the sale itself, and any return on that same day. Any run of days inside a month is a few blocks and
-- single days (MonthReads.Blocks): a partial month read from its first day is at most six rows per SKU (any other run
-- of days at most eleven) instead of one per SKU and day.
-- The effects dated after their order day (returns) are still read from the days, through the partial index below.
-- The facts refresh rewrites a month's blocks whenever it rewrites one of its order days, in the same transaction
-- (LineFactStore.RollUpBlocksAsync): a block is always the sum of its days. Blocks of 4 days are summed from the day
-- rows, blocks of 16 from the four below them; sums of sums add the same values with the same decimal places. (Blocks
-- of 2 and 8 days as well would save a row or two per SKU and read, and cost 2.7 times the rows to write.)
CREATE TABLE fact_sku_blocks (
    workspace_id        uuid NOT NULL,
    marketplace         text COLLATE "C" NOT NULL,
    block_start         date NOT NULL,
    block_days          smallint NOT NULL CHECK (block_days IN (4, 16)),
    sku                 text COLLATE "C" NOT NULL,
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
    PRIMARY KEY (workspace_id, block_start, block_days, marketplace, sku)
);

-- The day rows of effects dated after their order day (returns, a tenth of the rows), by order day (the edge days'
-- orders) and by effect day (the effects from the cut to as_of of the whole months' orders, which are all of this
-- kind). The index of migration 0026 on every row's effect day is replaced by the smaller one: only that read used it.
CREATE INDEX ix_fact_sku_days_later_effects ON fact_sku_days (workspace_id, order_date) WHERE effect_date <> order_date;
CREATE INDEX ix_fact_sku_days_later_effect_dates ON fact_sku_days (workspace_id, effect_date) WHERE effect_date <> order_date;
DROP INDEX ix_fact_sku_days_effect;

-- Ledgers written before this migration.
INSERT INTO fact_sku_blocks (workspace_id, marketplace, block_start, block_days, sku, units, revenue, commission, logistics, acquiring, other_fees, sold_cogs, cogs_missing_lines, returned_units, nonrestock_units, refund, commission_refund, return_logistics, returned_cogs, nonrestock_cogs, share_revenue, share_commission, share_logistics, share_acquiring, share_other_fees)
SELECT r.workspace_id, r.marketplace, date_trunc('month', r.order_date)::date + (r.order_date - date_trunc('month', r.order_date)::date) / 4 * 4, 4, r.sku,
       coalesce(sum(r.units), 0), coalesce(sum(r.revenue), 0), coalesce(sum(r.commission), 0), coalesce(sum(r.logistics), 0), coalesce(sum(r.acquiring), 0), coalesce(sum(r.other_fees), 0), coalesce(sum(r.sold_cogs), 0), coalesce(sum(r.cogs_missing_lines), 0), coalesce(sum(r.returned_units), 0), coalesce(sum(r.nonrestock_units), 0), coalesce(sum(r.refund), 0), coalesce(sum(r.commission_refund), 0), coalesce(sum(r.return_logistics), 0), coalesce(sum(r.returned_cogs), 0), coalesce(sum(r.nonrestock_cogs), 0), coalesce(sum(r.share_revenue), 0), coalesce(sum(r.share_commission), 0), coalesce(sum(r.share_logistics), 0), coalesce(sum(r.share_acquiring), 0), coalesce(sum(r.share_other_fees), 0)
FROM fact_sku_days AS r
WHERE r.effect_date = r.order_date
GROUP BY r.workspace_id, r.marketplace, date_trunc('month', r.order_date)::date + (r.order_date - date_trunc('month', r.order_date)::date) / 4 * 4, r.sku;

INSERT INTO fact_sku_blocks (workspace_id, marketplace, block_start, block_days, sku, units, revenue, commission, logistics, acquiring, other_fees, sold_cogs, cogs_missing_lines, returned_units, nonrestock_units, refund, commission_refund, return_logistics, returned_cogs, nonrestock_cogs, share_revenue, share_commission, share_logistics, share_acquiring, share_other_fees)
SELECT b.workspace_id, b.marketplace, date_trunc('month', b.block_start)::date + (b.block_start - date_trunc('month', b.block_start)::date) / 16 * 16, 16, b.sku,
       coalesce(sum(b.units), 0), coalesce(sum(b.revenue), 0), coalesce(sum(b.commission), 0), coalesce(sum(b.logistics), 0), coalesce(sum(b.acquiring), 0), coalesce(sum(b.other_fees), 0), coalesce(sum(b.sold_cogs), 0), coalesce(sum(b.cogs_missing_lines), 0), coalesce(sum(b.returned_units), 0), coalesce(sum(b.nonrestock_units), 0), coalesce(sum(b.refund), 0), coalesce(sum(b.commission_refund), 0), coalesce(sum(b.return_logistics), 0), coalesce(sum(b.returned_cogs), 0), coalesce(sum(b.nonrestock_cogs), 0), coalesce(sum(b.share_revenue), 0), coalesce(sum(b.share_commission), 0), coalesce(sum(b.share_logistics), 0), coalesce(sum(b.share_acquiring), 0), coalesce(sum(b.share_other_fees), 0)
FROM fact_sku_blocks AS b
WHERE b.block_days = 4
GROUP BY b.workspace_id, b.marketplace, date_trunc('month', b.block_start)::date + (b.block_start - date_trunc('month', b.block_start)::date) / 16 * 16, b.sku;
