using SellerDesk.Domain.Ledger;

namespace SellerDesk.Data.Ledger;

/// <summary>A column of a ledger table: its name (also in the file and the staging table), SQL type, and whether it is part of the key.</summary>
internal sealed record LedgerTableColumn(string Name, string SqlType, bool IsKey);

/// <summary>
/// One ledger table as <see cref="LedgerWriter"/> sees it. The SQL of every step is generated from the column
/// list, so the five tables share one path: a TEMP staging table (ON COMMIT DROP) with the source line number,
/// binary COPY into it, the in-file duplicate check, and the merge
/// <c>INSERT ... ON CONFLICT (key) DO UPDATE ... WHERE (values differ)</c> counting inserted and updated rows.
/// </summary>
internal abstract class LedgerTable
{
    protected LedgerTable(LedgerFileKind kind, string name, SourceColumn source, IReadOnlyList<LedgerTableColumn> columns, Provenance provenance = Provenance.None)
    {
        Kind = kind;
        Name = name;
        Source = source;
        Columns = columns;
        Provenance = provenance;
        var withIds = provenance == Provenance.FileOrRunAndRowIds;
        var key = columns.Where(c => c.IsKey).Select(c => c.Name).ToList();
        var values = columns.Where(c => !c.IsKey).Select(c => c.Name).ToList();
        var all = string.Join(", ", columns.Select(c => c.Name));

        KeyDescription = key.Count == 1 ? key[0] : string.Join(", ", key.Take(key.Count - 1)) + " and " + key[^1];
        var stagedProvenance = withIds ? ", source_feed text COLLATE \"C\", source_row_id text COLLATE \"C\"" : "";
        CreateStagingSql =
            $"CREATE TEMP TABLE {Staging} (line integer NOT NULL, {string.Join(", ", columns.Select(StagingColumn))}{stagedProvenance}) ON COMMIT DROP";
        CopySql = $"COPY {Staging} (line, {all}{(withIds ? ", source_feed, source_row_id" : "")}) FROM STDIN (FORMAT BINARY)";
        var keyList = string.Join(", ", key);
        DuplicatesSql = $"""
            SELECT s.line, d.first_line, count(*) OVER () AS total
            FROM {Staging} AS s
            JOIN (SELECT {keyList}, min(line) AS first_line FROM {Staging} GROUP BY {keyList} HAVING count(*) > 1) AS d
              ON {string.Join(" AND ", key.Select(k => $"d.{k} = s.{k}"))}
            WHERE s.line <> d.first_line
            ORDER BY s.line
            LIMIT {ImportProblemList.Limit + 1}
            """;

        // The merge runs in three steps under the workspace's ledger lock, none of which reads the table it is
        // growing (a NOT EXISTS against the table being inserted into can be planned as a nested loop that rescans
        // every row inserted so far: quadratic, see docs/benchmarks.md):
        // 1. update stored rows whose values differ (identical rows are neither inserted nor updated);
        // 2. drop from staging every row whose key is stored (updated or identical);
        // 3. insert what is left, plain INSERT: those keys are new.
        // The writer's source is $2 (decision 0010): part of the key of ad spend and fees, a value of sales lines and
        // returns (whose key is the marketplace's own; the ownership check has refused another source's orders).
        var (sourceColumn, sourceValue) = source == SourceColumn.None ? ("", "") : (", source", ", $2");

        // Provenance (attribution rows, migration 0016; sales lines and returns, migration 0022): where a row's current
        // values came from, written with them but never compared (a row sent again unchanged keeps the provenance of the
        // write that gave it its values). The file name and the pull run are the transaction's settings
        // (SetProvenanceAsync); the line is the staged one.
        var (provenanceColumns, provenanceValues, provenanceSet) = provenance switch
        {
            Provenance.FileOrRun => (
               ", import_file, import_line, run_id",
               $", {ImportFileSetting}, CASE WHEN {ImportFileSetting} IS NOT NULL THEN line END, {RunIdSetting}",
               $", import_file = {ImportFileSetting}, import_line = CASE WHEN {ImportFileSetting} IS NOT NULL THEN s.line END, run_id = {RunIdSetting}"),
            Provenance.FileOrRunAndRowIds => (
               ", import_file, import_line, run_id, source_feed, source_row_id, updated_at",
               $", {ImportFileSetting}, CASE WHEN {ImportFileSetting} IS NOT NULL THEN line END, {RunIdSetting}, source_feed, source_row_id, now()",
               $", import_file = {ImportFileSetting}, import_line = CASE WHEN {ImportFileSetting} IS NOT NULL THEN s.line END, run_id = {RunIdSetting}, source_feed = s.source_feed, source_row_id = s.source_row_id, updated_at = now()"),
            _ => ("", "", ""),
        };
        InsertSql = $"""
            INSERT INTO {Name} (workspace_id{sourceColumn}, {all}{provenanceColumns})
            SELECT $1{sourceValue}, {all}{provenanceValues} FROM {Staging}
            """;
        var stored = string.Join(", ", values.Select(v => $"t.{v}"));
        var staged = string.Join(", ", values.Select(v => $"s.{v}"));
        var keyMatch = string.Join(" AND ", key.Select(k => $"t.{k} = s.{k}"))
            + (source == SourceColumn.Key ? " AND t.source = $2" : "");
        var set = string.Join(", ", values.Select(v => $"{v} = s.{v}")) + provenanceSet;
        if (source == SourceColumn.Value)
        {
            set += ", source = $2";
            stored += ", t.source";
            staged += ", $2::uuid";
        }

        MergeSql =
        [
            $"""
            UPDATE {Name} AS t
            SET {set}
            FROM {Staging} AS s
            WHERE t.workspace_id = $1 AND {keyMatch}
              AND ({stored}) IS DISTINCT FROM ({staged})
            """,
            $"""
            DELETE FROM {Staging} AS s
            USING {Name} AS t
            WHERE t.workspace_id = $1 AND {keyMatch}
            """,
            InsertSql,
        ];
    }

    /// <summary>The transaction's setting naming the uploaded file a write comes from (null when none).</summary>
    public const string ImportFileSetting = "NULLIF(current_setting('sellerdesk.import_file', true), '')";

    /// <summary>The transaction's setting naming the pull run a write comes from (null when none).</summary>
    public const string RunIdSetting = "NULLIF(current_setting('sellerdesk.run_id', true), '')::uuid";

    /// <summary>Where the table keeps the source of its rows (decision 0010).</summary>
    public SourceColumn Source { get; }

    /// <summary>
    /// Whether the table keeps each row's provenance (file and line, or pull run; and for
    /// <see cref="Provenance.FileOrRunAndRowIds"/> the marketplace's row ids, when the staging table has two more
    /// columns, <c>source_feed</c> and <c>source_row_id</c>, after the record's).
    /// </summary>
    public Provenance Provenance { get; }

    /// <summary>Whether the table keeps provenance at all (the importer then sets the file name or run).</summary>
    public bool HasProvenance => Provenance != Provenance.None;

    public LedgerFileKind Kind { get; }

    /// <summary>The ledger table, such as <c>sales_lines</c>.</summary>
    public string Name { get; }

    /// <summary>The staging table of one transaction, such as <c>staging_sales_lines</c>.</summary>
    public string Staging => "staging_" + Name;

    public IReadOnlyList<LedgerTableColumn> Columns { get; }

    /// <summary>The key columns for a message: <c>marketplace, order_id and line_id</c>.</summary>
    public string KeyDescription { get; }

    public string CreateStagingSql { get; }

    public string CopySql { get; }

    /// <summary>Rows whose key an earlier line of the same file has: (line, first_line, total).</summary>
    public string DuplicatesSql { get; }

    /// <summary>Inserts every staged row into the ledger for workspace <c>$1</c> (and source <c>$2</c>); the merge's last step.</summary>
    public string InsertSql { get; }

    /// <summary>
    /// The merge's three statements (update changed, drop stored keys from staging, insert new), each taking the
    /// workspace id as $1 and, unless <see cref="Source"/> is <see cref="SourceColumn.None"/>, the writer's source as $2.
    /// </summary>
    public IReadOnlyList<string> MergeSql { get; }

    /// <summary>
    /// A staging column. Text that is not part of the key is compared byte-wise ("C"): the checks take min/max of
    /// such columns over every staged row, and with the database's libc collation each comparison is a strcoll call.
    /// Key columns keep the default collation: joined with a ledger key column they compare in that column's
    /// collation (the "C" of migration 0005 for sales_lines and returns, else the default), so the ledger's primary
    /// key serves the join.
    /// </summary>
    private static string StagingColumn(LedgerTableColumn column) =>
        column.SqlType == "text" && !column.IsKey ? $"{column.Name} text COLLATE \"C\"" : $"{column.Name} {column.SqlType}";
}

/// <summary>A <see cref="LedgerTable"/> with how a record of type <typeparamref name="T"/> fills each column.</summary>
internal sealed class LedgerTable<T> : LedgerTable
{
    private readonly Action<BinaryCopyBuffer, T>[] _writers;

    public LedgerTable(LedgerFileKind kind, string name, SourceColumn source, params Column<T>[] columns)
        : this(kind, name, source, Provenance.None, columns)
    {
    }

    public LedgerTable(LedgerFileKind kind, string name, SourceColumn source, Provenance provenance, params Column<T>[] columns)
        : base(kind, name, source, columns.Select(c => c.Definition).ToList(), provenance)
    {
        _writers = columns.Select(c => c.Write).ToArray();
    }

    /// <summary>
    /// Encodes one staging row: the source line, then the record's columns (and, for a table with provenance, the feed
    /// and the marketplace's row ids it came from, null for files).
    /// </summary>
    public void Write(BinaryCopyBuffer copy, int line, T record, RowOrigin? origin = null)
    {
        var withIds = Provenance == Provenance.FileOrRunAndRowIds;
        copy.StartRow(_writers.Length + 1 + (withIds ? 2 : 0));
        copy.Integer(line);
        foreach (var write in _writers)
        {
            write(copy, record);
        }

        if (withIds)
        {
            copy.Text(origin?.Feed);
            copy.Text(origin?.SourceIds);
        }
    }
}

/// <summary>
/// Where a ledger table keeps who wrote a row (its <c>source</c> column, decision 0010): not at all (unit costs), as
/// a value (sales lines and returns, keyed by the marketplace's own ids), or as part of the key (ad spend and fees,
/// so two sources never share a key).
/// </summary>
internal enum SourceColumn
{
    None,
    Value,
    Key,
}

/// <summary>What a ledger table keeps of where each row came from.</summary>
internal enum Provenance
{
    None,

    /// <summary>The upload file and line (<c>import_file</c>, <c>import_line</c>) or the pull run (<c>run_id</c>): sales lines and returns (migration 0022).</summary>
    FileOrRun,

    /// <summary>As <see cref="FileOrRun"/>, plus the feed and the marketplace's row ids of a pulled row (<c>source_feed</c>, <c>source_row_id</c>): attribution rows (0016).</summary>
    FileOrRunAndRowIds,
}

/// <summary>A column definition with the function that encodes a record's value of it for a binary COPY.</summary>
internal sealed record Column<T>(LedgerTableColumn Definition, Action<BinaryCopyBuffer, T> Write)
{
    public static Column<T> Text(string name, Func<T, string?> value, bool key = false) =>
        new(new(name, "text", key), (copy, r) => copy.Text(NullIfEmpty(value(r))));

    public static Column<T> Integer(string name, Func<T, int> value) =>
        new(new(name, "integer", false), (copy, r) => copy.Integer(value(r)));

    public static Column<T> Money(string name, Func<T, decimal> value) =>
        new(new(name, "numeric", false), (copy, r) => copy.Numeric(value(r)));

    public static Column<T> Boolean(string name, Func<T, bool> value) =>
        new(new(name, "boolean", false), (copy, r) => copy.Boolean(value(r)));

    public static Column<T> Date(string name, Func<T, DateOnly> value, bool key = false) =>
        new(new(name, "date", key), (copy, r) => copy.Date(value(r)));

    /// <summary>timestamptz: the instant.</summary>
    public static Column<T> Timestamp(string name, Func<T, DateTimeOffset> value) =>
        new(new(name, "timestamptz", false), (copy, r) => copy.Timestamp(value(r)));

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}

/// <summary>The six ledger tables (0001_ledger.sql, 0016_attribution_rows.sql); column names are the files' column names.</summary>
internal static class LedgerTables
{
    public static LedgerTable<SaleLine> Sales { get; } = new(
        LedgerFileKind.Sales,
        "sales_lines",
        SourceColumn.Value,
        Provenance.FileOrRun,
        Column<SaleLine>.Text("marketplace", r => r.Marketplace, key: true),
        Column<SaleLine>.Text("order_id", r => r.OrderId, key: true),
        Column<SaleLine>.Text("line_id", r => r.LineId, key: true),
        Column<SaleLine>.Timestamp("ordered_at", r => r.OrderedAt),
        Column<SaleLine>.Text("customer_id", r => r.CustomerId),
        Column<SaleLine>.Text("channel", r => r.Channel),
        Column<SaleLine>.Text("sku", r => r.Sku),
        Column<SaleLine>.Integer("quantity", r => r.Quantity),
        Column<SaleLine>.Money("revenue", r => r.Revenue),
        Column<SaleLine>.Money("commission", r => r.Commission),
        Column<SaleLine>.Money("logistics", r => r.Logistics),
        Column<SaleLine>.Money("acquiring", r => r.Acquiring),
        Column<SaleLine>.Money("other_fees", r => r.OtherFees));

    public static LedgerTable<ReturnEvent> Returns { get; } = new(
        LedgerFileKind.Returns,
        "returns",
        SourceColumn.Value,
        Provenance.FileOrRun,
        Column<ReturnEvent>.Text("marketplace", r => r.Marketplace, key: true),
        Column<ReturnEvent>.Text("order_id", r => r.OrderId, key: true),
        Column<ReturnEvent>.Text("line_id", r => r.LineId, key: true),
        Column<ReturnEvent>.Text("return_id", r => r.ReturnId, key: true),
        Column<ReturnEvent>.Timestamp("returned_at", r => r.ReturnedAt),
        Column<ReturnEvent>.Integer("quantity", r => r.Quantity),
        Column<ReturnEvent>.Money("refund", r => r.Refund),
        Column<ReturnEvent>.Money("commission_refund", r => r.CommissionRefund),
        Column<ReturnEvent>.Money("return_logistics", r => r.ReturnLogistics),
        Column<ReturnEvent>.Boolean("restockable", r => r.Restockable),
        Column<ReturnEvent>.Text("reason", r => r.Reason));

    public static LedgerTable<AdSpend> AdSpend { get; } = new(
        LedgerFileKind.AdSpend,
        "ad_spend",
        SourceColumn.Key,
        Column<AdSpend>.Date("date", r => r.Date, key: true),
        Column<AdSpend>.Text("marketplace", r => r.Marketplace, key: true),
        Column<AdSpend>.Text("channel", r => r.Channel, key: true),
        Column<AdSpend>.Money("amount", r => r.Amount));

    public static LedgerTable<PeriodFee> Fees { get; } = new(
        LedgerFileKind.Fees,
        "period_fees",
        SourceColumn.Key,
        Column<PeriodFee>.Date("date", r => r.Date, key: true),
        Column<PeriodFee>.Text("marketplace", r => r.Marketplace, key: true),
        Column<PeriodFee>.Text("kind", r => r.Kind, key: true),
        Column<PeriodFee>.Money("amount", r => r.Amount));

    public static LedgerTable<UnitCost> Costs { get; } = new(
        LedgerFileKind.Costs,
        "unit_costs",
        SourceColumn.None,
        Column<UnitCost>.Text("sku", r => r.Sku, key: true),
        Column<UnitCost>.Date("valid_from", r => r.ValidFrom, key: true),
        Column<UnitCost>.Money("unit_cost", r => r.Cost));

    public static LedgerTable<AttributionRow> Attribution { get; } = new(
        LedgerFileKind.Attribution,
        "attribution_rows",
        SourceColumn.Key,
        Provenance.FileOrRunAndRowIds,
        Column<AttributionRow>.Date("date", r => r.Date, key: true),
        Column<AttributionRow>.Text("marketplace", r => r.Marketplace, key: true),
        Column<AttributionRow>.Text("channel", r => r.Channel, key: true),
        Column<AttributionRow>.Text("sku", r => r.Sku, key: true),
        Column<AttributionRow>.Integer("orders", r => r.Orders));

    public static LedgerTable For(LedgerFileKind kind) => kind switch
    {
        LedgerFileKind.Sales => Sales,
        LedgerFileKind.Returns => Returns,
        LedgerFileKind.AdSpend => AdSpend,
        LedgerFileKind.Fees => Fees,
        LedgerFileKind.Costs => Costs,
        LedgerFileKind.Attribution => Attribution,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}

/// <summary>
/// Where a pulled row came from: the feed and the marketplace's own ids of the source rows it was made of (several ids
/// joined by commas, in ordinal order, when a row sums several statistics rows).
/// </summary>
public sealed record RowOrigin(string Feed, string SourceIds);
