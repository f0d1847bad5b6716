-- A few days' sales lines by date (issue 11 point 4). The facts refresh reads every line of the days a write touched
-- (LineFactStore.RefreshAsync). Without an index by date it read them by the ledger's key, one probe per order of
-- those days: at 10M lines that key (1,050 MB) does not stay in memory, and a day's 40,192 orders took 7.2 s of a 21.7 s
-- write (docs/benchmarks.md). A ledger filled by daily pulls, or from files sorted by date, is stored about in date
-- order, so a block-range index finds a day's pages: 88 kB at 10M lines, against the B-tree on (workspace_id,
-- ordered_at) that migration 0004 dropped for what it cost every write. The refresh reads through it only when the
-- table's statistics say the heap is in date order (LineFactStore.DayRangesAsync). New block ranges are summarized by
-- autovacuum as they fill (autosummarize) and by every VACUUM; until then a range counts as holding every date, which
-- costs reads, never lines.
CREATE INDEX ix_sales_lines_ordered_at_brin ON sales_lines USING brin (ordered_at) WITH (autosummarize = on);
