-- The last effect date of each per-day channel total (issue 11 point 2; decision 0032). When any effect of a period's
-- orders was dated after its as_of, the channel read summed every day row of the period (fact_channel_days, once per
-- order day and once per channel): at 10M lines 300-375 ms of a cold report. With the last effect date kept beside
-- each total, a report reads the totals of the order days and channels whose effects all lie on or before its as_of,
-- and the day rows up to as_of only of the others (the orders of the last weeks before as_of). The facts refresh
-- writes it with the totals (LineFactStore.RollUpTotalsAsync).
ALTER TABLE fact_channel_totals ADD COLUMN last_effect date;

-- The index of migration 0026 on the day rows' effect dates served only the check this replaces ("is any effect of
-- the period dated after as_of"); no query reads fact_channel_days by effect date any more, so every write paid for it
-- in vain.
DROP INDEX ix_fact_channel_days_effect;

-- Ledgers written before this migration.
UPDATE fact_channel_totals AS t
SET last_effect = d.last_effect
FROM (SELECT workspace_id, marketplace, order_date, channel, max(effect_date) AS last_effect
      FROM fact_channel_days
      GROUP BY workspace_id, marketplace, order_date, channel) AS d
WHERE t.workspace_id = d.workspace_id AND t.marketplace = d.marketplace AND t.order_date = d.order_date AND t.channel = d.channel;

ALTER TABLE fact_channel_totals ALTER COLUMN last_effect SET NOT NULL;
