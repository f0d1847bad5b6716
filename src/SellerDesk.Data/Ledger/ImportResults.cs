using System.Globalization;
using SellerDesk.Domain.Ledger;

namespace SellerDesk.Data.Ledger;

/// <summary>
/// One reason a ledger file (or batch) was rejected: a physical line number (the header is line 1; for a
/// <see cref="LedgerWriter.WriteAsync(Guid, LedgerBatch, CancellationToken)"/> batch, the 1-based item number in its list), the column when one is to
/// blame, and a plain message such as <c>'two' is not a whole number</c>.
/// </summary>
public sealed record ImportProblem(int Line, string? Column, string Message)
{
    /// <summary>Set for problems of a batch, which holds several kinds; null for a file.</summary>
    public LedgerFileKind? Kind { get; init; }

    /// <summary>The full sentence: <c>line 14, column quantity: 'two' is not a whole number</c>.</summary>
    public override string ToString()
    {
        var where = Kind is { } kind
            ? string.Create(CultureInfo.InvariantCulture, $"{kind.ToPathName()} item {Line}")
            : string.Create(CultureInfo.InvariantCulture, $"line {Line}");
        return Column is null ? $"{where}: {Message}" : $"{where}, column {Column}: {Message}";
    }
}

/// <summary>
/// The outcome of an import. On rejection <see cref="Errors"/> lists up to 100 problems ordered by line (plus a
/// last "and N more problems" entry when there were more), and nothing was written.
/// </summary>
/// <param name="Kind">The file's kind; for a batch the first kind it holds in <see cref="LedgerFileKinds.WriteOrder"/>.</param>
/// <param name="Rows">Data rows read (for a batch: records of all kinds).</param>
/// <param name="Inserted">Rows that were new to the ledger.</param>
/// <param name="Updated">Rows whose key was stored with other values; rows identical to the stored ones count neither.</param>
/// <param name="Warnings">Things ignored, such as unknown columns.</param>
/// <param name="Errors">Why the import was rejected; empty when it succeeded.</param>
public sealed record ImportResult(
    LedgerFileKind Kind,
    int Rows,
    int Inserted,
    int Updated,
    IReadOnlyList<string> Warnings,
    IReadOnlyList<ImportProblem> Errors)
{
    public bool Succeeded => Errors.Count == 0;
}

/// <summary>How far an import has read its stream.</summary>
public readonly record struct ImportProgress(long RowsRead, long BytesRead);

/// <summary>Already-built ledger records to write in one transaction (the demo seeder's path into the ledger).</summary>
public sealed record LedgerBatch
{
    public IReadOnlyList<UnitCost> Costs { get; init; } = [];

    public IReadOnlyList<SaleLine> Sales { get; init; } = [];

    public IReadOnlyList<ReturnEvent> Returns { get; init; } = [];

    public IReadOnlyList<AdSpend> AdSpend { get; init; } = [];

    public IReadOnlyList<PeriodFee> Fees { get; init; } = [];

    /// <summary>
    /// Orders the batch carries whole for its source (a pull's derivation maps every row of an order): the source's
    /// stored sales lines and returns of these orders that the batch does not carry are deleted in the same
    /// transaction, before the checks (decision 0010). Empty for files, which only add and replace.
    /// </summary>
    public IReadOnlyList<(string Marketplace, string OrderId)> WholeOrders { get; init; } = [];

    /// <summary>Attribution rows (metrics.md 3.1).</summary>
    public IReadOnlyList<AttributionRow> Attribution { get; init; } = [];

    /// <summary>
    /// Where each of <see cref="Attribution"/> came from (a pull's feed and the marketplace's row ids), in the same
    /// order; empty when none is known (the demo seeder).
    /// </summary>
    public IReadOnlyList<RowOrigin?> AttributionOrigins { get; init; } = [];

    /// <summary>
    /// The (marketplace, date) pairs whose attribution rows the batch carries whole for its source (a pull derives
    /// every statistics row of those days): the source's stored attribution rows of these days that the batch does not
    /// carry are deleted in the same transaction (decision 0010). Other sources' rows stay. Empty for files.
    /// </summary>
    public IReadOnlyList<(string Marketplace, DateOnly Date)> AttributionWholeDays { get; init; } = [];

    /// <summary>The pull run that writes the batch, stored as provenance of its attribution rows; null otherwise.</summary>
    public Guid? RunId { get; init; }

    public int Count => Costs.Count + Sales.Count + Returns.Count + AdSpend.Count + Fees.Count + Attribution.Count;
}
