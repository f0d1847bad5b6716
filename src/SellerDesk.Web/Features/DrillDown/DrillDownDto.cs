using SellerDesk.Data.Reports;
using SellerDesk.Domain.Economics;
using SellerDesk.Domain.Reports;

namespace SellerDesk.Web.Features.DrillDown;

/// <summary>
/// The section-2 figures of a set of lines (an order, a line, or the whole drill-down), rounded for output, named as the
/// reports name them: the P&amp;L's lines (4.5) and the SKU report's fees (4.4).
/// </summary>
public sealed record EconomicsDto(
    int Units,
    decimal ReturnedUnits,
    decimal Revenue,
    decimal Refunds,
    decimal NetRevenue,
    decimal Commission,
    decimal Logistics,
    decimal Acquiring,
    decimal OtherFees,
    decimal Fees,
    decimal Cogs,
    decimal ContributionMargin,
    decimal ReturnLoss,
    int CogsMissingLines)
{
    public static EconomicsDto From(LineEconomics e) => new(
        e.Units,
        e.ReturnedUnits,
        Rounding.Money(e.Revenue),
        Rounding.Money(e.Refund),
        Rounding.Money(e.NetRevenue),
        Rounding.Money(e.NetCommission),
        Rounding.Money(e.AllLogistics),
        Rounding.Money(e.Acquiring),
        Rounding.Money(e.OtherFees),
        Rounding.Money(e.Fees),
        Rounding.Money(e.NetCogs),
        Rounding.Money(e.ContributionMargin),
        Rounding.Money(e.ReturnLoss),
        e.CogsMissingLines);
}

/// <summary>
/// Where a row came from: <c>file</c> (a file uploaded on the page, and its line), <c>api_upload</c> (sent through the
/// HTTP API: its UTC time, the form's file name if any, and the line), <c>pull</c> (connection, run), or <c>unknown</c>
/// (written before the ledger kept it, or by the demo).
/// </summary>
public sealed record OriginDto(
    string Kind, string? File, int? Line, DateTimeOffset? UploadedAt, Guid? ConnectionId, string? Connection, Guid? RunId, DateTimeOffset? RunFinishedAt)
{
    public static OriginDto From(DrillOrigin origin) => new(
        origin.ApiUploadedAt is not null ? "api_upload" : origin.IsFile ? "file" : origin.IsPull ? "pull" : "unknown",
        origin.FileName,
        origin.ImportLine,
        origin.ApiUploadedAt,
        origin.ConnectionId,
        origin.ConnectionName,
        origin.RunId,
        origin.RunFinishedAt);
}

/// <summary>A marketplace's own row an order was derived from: its feed and id (Wildberries' rrd_id) and the run that last fetched it.</summary>
public sealed record SourceRowDto(string Feed, string Id, Guid? RunId);

public sealed record DrillLineDto(
    string LineId, string Sku, int Quantity, decimal Revenue, decimal Commission, decimal Logistics, decimal Acquiring, decimal OtherFees,
    EconomicsDto Economics, OriginDto Origin);

public sealed record DrillReturnDto(
    string LineId, string ReturnId, DateTimeOffset ReturnedAt, int Quantity, decimal Refund, decimal CommissionRefund, decimal ReturnLogistics,
    bool Restockable, string? Reason, bool Counted, OriginDto Origin);

/// <summary>One order behind the figure.</summary>
public sealed record DrillOrderDto(
    string Marketplace,
    string OrderId,
    DateTimeOffset OrderedAt,
    DateOnly OrderDate,
    string? CustomerId,
    bool Identified,
    string Channel,
    string LedgerChannel,
    bool Attributed,
    bool FirstOrder,
    DateOnly FirstOrderDate,
    string AcquisitionChannel,
    EconomicsDto Economics,
    IEnumerable<DrillLineDto> Lines,
    IEnumerable<DrillReturnDto> Returns,
    IEnumerable<SourceRowDto> SourceRows)
{
    public static DrillOrderDto From(DrillOrder o) => new(
        o.Marketplace,
        o.OrderId,
        o.OrderedAt,
        o.OrderDate,
        o.CustomerId,
        o.Identified,
        o.Channel,
        o.LedgerChannel,
        o.Attributed,
        o.IsFirst,
        o.FirstOrderDate,
        o.AcquisitionChannel,
        EconomicsDto.From(o.Economics),
        o.Lines.Select(l => new DrillLineDto(
            l.LineId, l.Sku, l.Quantity, l.Revenue, l.Commission, l.Logistics, l.Acquiring, l.OtherFees, EconomicsDto.From(l.Economics), OriginDto.From(l.Origin))),
        o.Returns.Select(r => new DrillReturnDto(
            r.LineId, r.ReturnId, r.ReturnedAt, r.Quantity, r.Refund, r.CommissionRefund, r.ReturnLogistics, r.Restockable, r.Reason, r.Counted, OriginDto.From(r.Origin))),
        o.SourceRows.Select(s => new SourceRowDto(s.Feed, s.SourceId, s.LastRunId)));
}

/// <summary>The drill-down summed (first page only): the figure it was opened from, to the kopeck.</summary>
public sealed record DrillTotalsDto(long Orders, long Lines, long FirstOrders, EconomicsDto Economics)
{
    public static DrillTotalsDto From(DrillTotals t) => new(t.Orders, t.Lines, t.FirstOrders, EconomicsDto.From(t.Economics));
}

/// <summary><c>{ "totals": {...} | null, "orders": [...], "next": "cursor" | null }</c>.</summary>
public sealed record DrillDownAnswer(DrillTotalsDto? Totals, IEnumerable<DrillOrderDto> Orders, string? Next);
