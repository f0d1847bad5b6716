using System.Globalization;
using System.Text;
using SellerDesk.Domain.Economics;
using SellerDesk.Domain.Reports;

namespace SellerDesk.Data.Reports;

/// <summary>Which orders a drill-down lists: those placed in the period, or those of the customers acquired in it.</summary>
public enum DrillScope
{
    /// <summary>
    /// Orders placed in range (4.2, 4.4, 4.5, 4.6): <see cref="DrillDownFilter.Channel"/> is the order's effective
    /// channel.
    /// </summary>
    Orders,

    /// <summary>
    /// Orders up to as_of of the customers whose first order is in range (4.1, 4.3): <see cref="DrillDownFilter.Channel"/>
    /// is the customers' acquisition channel.
    /// </summary>
    Customers,
}

/// <summary>
/// The figure a drill-down opens: the report's period and the keys of its cell. Every filter left null takes all.
/// The orders listed, with their lines summed as the reports sum them (each line's sale and its return effects dated
/// up to as_of), give that figure to the kopeck.
/// </summary>
public sealed record DrillDownFilter(ReportPeriod Period)
{
    public DrillScope Scope { get; init; } = DrillScope.Orders;

    public string? Marketplace { get; init; }

    /// <summary>Only the lines of this SKU count (and only orders with one are listed).</summary>
    public string? Sku { get; init; }

    /// <summary>The order's effective channel (<see cref="DrillScope.Orders"/>) or the customer's acquisition channel.</summary>
    public string? Channel { get; init; }

    /// <summary>Only orders placed in this month (a P&amp;L column; with <see cref="DrillScope.Customers"/>, a cohort's month).</summary>
    public YearMonth? Month { get; init; }

    /// <summary><see cref="DrillScope.Customers"/>: only customers whose first order is in this month.</summary>
    public YearMonth? Cohort { get; init; }

    /// <summary><see cref="DrillScope.Customers"/>: only orders placed up to the end of this month (a cohort's cell).</summary>
    public YearMonth? Through { get; init; }

    /// <summary><see cref="DrillScope.Customers"/>: only the customers' first orders.</summary>
    public bool FirstOrdersOnly { get; init; }

    /// <summary>Only the orders whose rows this source wrote (files or one connection; decision 0010).</summary>
    public LedgerSource? Source { get; init; }
}

/// <summary>Where a listed page ends: the next page starts after this order (local date, marketplace, order id; ordinal).</summary>
public readonly record struct DrillCursor(DateOnly OrderDate, string Marketplace, string OrderId)
{
    /// <summary>An opaque text for an address: base64url of <c>date|marketplace|order id</c>.</summary>
    public string Encode() =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{OrderDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}|{Marketplace}|{OrderId}"))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static bool TryDecode(string? text, out DrillCursor cursor)
    {
        cursor = default;
        if (string.IsNullOrWhiteSpace(text) || text.Length > 2048)
        {
            return false;
        }

        var base64 = text.Trim().Replace('-', '+').Replace('_', '/');
        base64 += (base64.Length % 4) switch { 2 => "==", 3 => "=", _ => string.Empty };
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            return false;
        }

        var parts = Encoding.UTF8.GetString(bytes).Split('|', 3);
        if (parts.Length != 3
            || !DateOnly.TryParseExact(parts[0], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return false;
        }

        cursor = new DrillCursor(date, parts[1], parts[2]);
        return true;
    }
}

/// <summary>
/// Where a ledger row came from (migration 0022): an uploaded file, or an upload through the HTTP API
/// (<see cref="ApiUploadedAt"/>), and the line its record starts on; or the connection
/// whose pull wrote it and the run that gave it its values. <see cref="Known"/> is false for rows written before the
/// ledger kept it, and the demo's.
/// </summary>
public sealed record DrillOrigin(string? ImportFile, int? ImportLine, Guid? ConnectionId, string? ConnectionName, Guid? RunId, DateTimeOffset? RunFinishedAt)
{
    public bool IsFile => ImportFile is not null;

    /// <summary>When the rows were sent through the HTTP API (<see cref="ApiUploadOrigin"/>): the upload's UTC instant.</summary>
    public DateTimeOffset? ApiUploadedAt => ApiUploadOrigin.TryRead(ImportFile, out var at, out _) ? at : null;

    /// <summary>The file's name: of the uploaded file, or of the API upload's multipart form (null for a bare API body).</summary>
    public string? FileName => ApiUploadOrigin.TryRead(ImportFile, out _, out var name) ? name : ImportFile;

    public bool IsPull => ConnectionId is not null;

    public bool Known => IsFile || IsPull;
}

/// <summary>One of the marketplace's own rows an order was derived from (a Wildberries report line's rrd_id, say).</summary>
public sealed record DrillSourceRow(string Feed, string SourceId, Guid? LastRunId);

/// <summary>A return of a listed line, as the ledger holds it; <see cref="Counted"/> when dated up to as_of.</summary>
public sealed record DrillReturn(
    string LineId,
    string ReturnId,
    DateTimeOffset ReturnedAt,
    int Quantity,
    decimal Refund,
    decimal CommissionRefund,
    decimal ReturnLogistics,
    bool Restockable,
    string? Reason,
    bool Counted,
    DrillOrigin Origin);

/// <summary>A listed order line as the ledger holds it, with its economics as of the report's as_of (section 2, by the domain).</summary>
public sealed record DrillLine(
    string LineId,
    string Sku,
    int Quantity,
    decimal Revenue,
    decimal Commission,
    decimal Logistics,
    decimal Acquiring,
    decimal OtherFees,
    LineEconomics Economics,
    DrillOrigin Origin);

/// <summary>
/// One order behind a figure: its customer, channel and first-order flag (the stored customer facts), its lines (of the
/// SKU when the figure is a SKU's) and their returns, the order's economics (the sum of its lines'), and the
/// marketplace's own rows it was derived from when a pull wrote it.
/// </summary>
public sealed record DrillOrder(
    string Marketplace,
    string OrderId,
    DateTimeOffset OrderedAt,
    DateOnly OrderDate,
    string? CustomerId,
    bool Identified,
    string Channel,
    string LedgerChannel,
    bool Attributed,
    bool IsFirst,
    DateOnly FirstOrderDate,
    string AcquisitionChannel,
    IReadOnlyList<DrillLine> Lines,
    IReadOnlyList<DrillReturn> Returns,
    LineEconomics Economics,
    IReadOnlyList<DrillSourceRow> SourceRows)
{
    public DrillCursor Cursor => new(OrderDate, Marketplace, OrderId);
}

/// <summary>One page of a drill-down, and where the next starts (null on the last page).</summary>
public sealed record DrillPage(IReadOnlyList<DrillOrder> Orders, DrillCursor? Next);

/// <summary>The whole drill-down summed: orders, lines, first orders among them and the lines' economics.</summary>
public sealed record DrillTotals(long Orders, long Lines, long FirstOrders, LineEconomics Economics);
