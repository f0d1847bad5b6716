using System.Globalization;
using SellerDesk.Data.Ledger;
using SellerDesk.Domain.Ledger;

namespace SellerDesk.Ingestion.Files;

/// <summary>Turns the rows of one kind of ledger file into domain records, applying the optional columns' defaults.</summary>
internal abstract class LedgerRowParser<T>(LedgerFileKind kind, params LedgerColumn[] columns)
    where T : class
{
    public LedgerFileKind Kind { get; } = kind;

    public IReadOnlyList<LedgerColumn> Columns { get; } = columns;

    /// <summary>Header rules beyond "required columns are present"; <paramref name="has"/> tells whether a column is.</summary>
    public virtual IEnumerable<(string Column, string Message)> CheckHeader(Func<int, bool> has) => [];

    /// <summary>The row's record, or null when a value could not be read (the reader holds the problems).</summary>
    public abstract T? Parse(LedgerFieldReader row);

    /// <summary>The record's own rules (<see cref="LedgerRules"/>).</summary>
    public abstract void Check(T record, IProblemSink problems);

    protected static LedgerColumn Required(string name) => new(name, true);

    protected static LedgerColumn Optional(string name) => new(name, false);
}

internal static class LedgerRowParsers
{
    public static LedgerRowParser<T> For<T>()
        where T : class
    {
        object parser = typeof(T) switch
        {
            var t when t == typeof(SaleLine) => new SalesRowParser(),
            var t when t == typeof(ReturnEvent) => new ReturnsRowParser(),
            var t when t == typeof(AdSpend) => new AdSpendRowParser(),
            var t when t == typeof(PeriodFee) => new FeesRowParser(),
            var t when t == typeof(UnitCost) => new CostsRowParser(),
            var t when t == typeof(AttributionRow) => new AttributionRowParser(),
            _ => throw new NotSupportedException($"{typeof(T).Name} is not a ledger record."),
        };
        return (LedgerRowParser<T>)parser;
    }
}

/// <summary>sales.csv: marketplace, order_id, [line_id = sku], ordered_at, [customer_id], [channel = organic], sku, quantity, revenue, commission, logistics, [acquiring = 0], [other_fees = 0].</summary>
internal sealed class SalesRowParser() : LedgerRowParser<SaleLine>(
    LedgerFileKind.Sales,
    Required("marketplace"),
    Required("order_id"),
    Optional("line_id"),
    Required("ordered_at"),
    Optional("customer_id"),
    Optional("channel"),
    Required("sku"),
    Required("quantity"),
    Required("revenue"),
    Required("commission"),
    Required("logistics"),
    Optional("acquiring"),
    Optional("other_fees"))
{
    private const int Marketplace = 0, OrderId = 1, LineId = 2, OrderedAt = 3, CustomerId = 4, Channel = 5, Sku = 6,
        Quantity = 7, Revenue = 8, Commission = 9, Logistics = 10, Acquiring = 11, OtherFees = 12;

    public override SaleLine? Parse(LedgerFieldReader row)
    {
        // Read in column order, so a row's problems are listed in that order.
        var marketplace = row.Required(Marketplace, pooled: true);
        var orderId = row.Required(OrderId);
        var lineId = row.OptionalPooled(LineId);
        var orderedAt = row.Timestamp(OrderedAt);
        var customerId = row.Optional(CustomerId);
        var channel = row.OptionalPooled(Channel) ?? LedgerNames.OrganicChannel;
        var sku = row.Required(Sku, pooled: true);
        var line = new SaleLine(
            marketplace,
            orderId,
            lineId ?? sku,
            orderedAt,
            customerId,
            channel,
            sku,
            row.Whole(Quantity),
            row.Decimal(Revenue),
            row.Decimal(Commission),
            row.Decimal(Logistics),
            row.Decimal(Acquiring, 0m),
            row.Decimal(OtherFees, 0m));
        return row.Failed ? null : line;
    }

    public override void Check(SaleLine record, IProblemSink problems) => LedgerRules.Check(record, problems);
}

/// <summary>
/// returns.csv: marketplace, order_id, [line_id = sku], [return_id], returned_at, quantity, refund,
/// [commission_refund = 0], [return_logistics = 0], [restockable = true], [reason]. Without line_id the line is
/// named by an <c>sku</c> column; without return_id the return is named by its returned_at (UTC, round-trip format).
/// </summary>
internal sealed class ReturnsRowParser() : LedgerRowParser<ReturnEvent>(
    LedgerFileKind.Returns,
    Required("marketplace"),
    Required("order_id"),
    Optional("line_id"),
    Optional("return_id"),
    Required("returned_at"),
    Required("quantity"),
    Required("refund"),
    Optional("commission_refund"),
    Optional("return_logistics"),
    Optional("restockable"),
    Optional("reason"),
    Optional("sku"))
{
    private const int Marketplace = 0, OrderId = 1, LineId = 2, ReturnId = 3, ReturnedAt = 4, Quantity = 5, Refund = 6,
        CommissionRefund = 7, ReturnLogistics = 8, Restockable = 9, Reason = 10, Sku = 11;

    public override IEnumerable<(string Column, string Message)> CheckHeader(Func<int, bool> has)
    {
        if (!has(LineId) && !has(Sku))
        {
            yield return ("line_id", "required column 'line_id' is missing (or an sku column naming the line)");
        }
    }

    public override ReturnEvent? Parse(LedgerFieldReader row)
    {
        var marketplace = row.Required(Marketplace, pooled: true);
        var orderId = row.Required(OrderId);
        var lineId = row.OptionalPooled(LineId) ?? row.OptionalPooled(Sku);
        if (lineId is null)
        {
            row.Problem(row.Has(LineId) ? LineId : Sku, "a value is required");
        }

        var returnId = row.Optional(ReturnId);
        var returnedAt = row.Timestamp(ReturnedAt);
        var returned = new ReturnEvent(
            marketplace,
            orderId,
            lineId ?? string.Empty,
            returnId ?? DefaultReturnId(returnedAt),
            returnedAt,
            row.Whole(Quantity),
            row.Decimal(Refund),
            row.Decimal(CommissionRefund, 0m),
            row.Decimal(ReturnLogistics, 0m),
            row.Boolean(Restockable, true),
            row.Optional(Reason));
        return row.Failed ? null : returned;
    }

    public override void Check(ReturnEvent record, IProblemSink problems) => LedgerRules.Check(record, problems);

    /// <summary>The return id of a row without one: its returned_at in UTC, ISO 8601 round-trip format.</summary>
    public static string DefaultReturnId(DateTimeOffset returnedAt) =>
        returnedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
}

/// <summary>ad_spend.csv: date, marketplace, channel, amount.</summary>
internal sealed class AdSpendRowParser() : LedgerRowParser<AdSpend>(
    LedgerFileKind.AdSpend,
    Required("date"),
    Required("marketplace"),
    Required("channel"),
    Required("amount"))
{
    private const int Date = 0, Marketplace = 1, Channel = 2, Amount = 3;

    public override AdSpend? Parse(LedgerFieldReader row)
    {
        var spend = new AdSpend(
            row.Date(Date),
            row.Required(Marketplace, pooled: true),
            row.Required(Channel, pooled: true),
            row.Decimal(Amount));
        return row.Failed ? null : spend;
    }

    public override void Check(AdSpend record, IProblemSink problems) => LedgerRules.Check(record, problems);
}

/// <summary>fees.csv: date, marketplace, kind, amount.</summary>
internal sealed class FeesRowParser() : LedgerRowParser<PeriodFee>(
    LedgerFileKind.Fees,
    Required("date"),
    Required("marketplace"),
    Required("kind"),
    Required("amount"))
{
    private const int Date = 0, Marketplace = 1, FeeKind = 2, Amount = 3;

    public override PeriodFee? Parse(LedgerFieldReader row)
    {
        var fee = new PeriodFee(
            row.Date(Date),
            row.Required(Marketplace, pooled: true),
            row.Required(FeeKind, pooled: true),
            row.Decimal(Amount));
        return row.Failed ? null : fee;
    }

    public override void Check(PeriodFee record, IProblemSink problems) => LedgerRules.Check(record, problems);
}

/// <summary>costs.csv: sku, valid_from, unit_cost.</summary>
internal sealed class CostsRowParser() : LedgerRowParser<UnitCost>(
    LedgerFileKind.Costs,
    Required("sku"),
    Required("valid_from"),
    Required("unit_cost"))
{
    private const int Sku = 0, ValidFrom = 1, Cost = 2;

    public override UnitCost? Parse(LedgerFieldReader row)
    {
        var cost = new UnitCost(row.Required(Sku, pooled: true), row.Date(ValidFrom), row.Decimal(Cost));
        return row.Failed ? null : cost;
    }

    public override void Check(UnitCost record, IProblemSink problems) => LedgerRules.Check(record, problems);
}

/// <summary>attribution.csv: date, marketplace, channel, sku, orders (metrics.md 3.1).</summary>
internal sealed class AttributionRowParser() : LedgerRowParser<AttributionRow>(
    LedgerFileKind.Attribution,
    Required("date"),
    Required("marketplace"),
    Required("channel"),
    Required("sku"),
    Required("orders"))
{
    private const int Date = 0, Marketplace = 1, Channel = 2, Sku = 3, Orders = 4;

    public override AttributionRow? Parse(LedgerFieldReader row)
    {
        var attribution = new AttributionRow(
            row.Date(Date),
            row.Required(Marketplace, pooled: true),
            row.Required(Channel, pooled: true),
            row.Required(Sku, pooled: true),
            row.Whole(Orders));
        return row.Failed ? null : attribution;
    }

    public override void Check(AttributionRow record, IProblemSink problems) => LedgerRules.Check(record, problems);
}
