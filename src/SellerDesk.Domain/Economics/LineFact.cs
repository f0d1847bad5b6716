using SellerDesk.Domain.Ledger;

namespace SellerDesk.Domain.Economics;

/// <summary>One return event's effect on its line, dated by its local <c>returned_at</c> date.</summary>
/// <param name="ReturnId">The return's id (its key within the line).</param>
/// <param name="Date">Local date of the return: the effect exists for reports with <c>as_of</c> on or after it.</param>
/// <param name="Effect">Return-side components only (<see cref="LineEconomics.Returned"/>).</param>
public sealed record ReturnEffect(string ReturnId, DateOnly Date, LineEconomics Effect);

/// <summary>
/// One order line's economics (metrics.md section 2), computed once and independent of <c>as_of</c>: the sale's
/// components and each return's dated effect. As of a date, the line is its sale plus the effects dated up to it;
/// the effects land in the line's own order date, month and cohort, whatever their date.
/// </summary>
/// <param name="Marketplace">Where the order was placed.</param>
/// <param name="OrderId">The order.</param>
/// <param name="LineId">The line within the order.</param>
/// <param name="Sku">The line's SKU.</param>
/// <param name="OrderDate">Local date of the order.</param>
/// <param name="Sale">Sale-side components (<see cref="LineEconomics.Sold"/>).</param>
/// <param name="Returns">The line's return effects, earliest first.</param>
public sealed record LineFact(
    string Marketplace,
    string OrderId,
    string LineId,
    string Sku,
    DateOnly OrderDate,
    LineEconomics Sale,
    IReadOnlyList<ReturnEffect> Returns)
{
    /// <summary>The line with its returns up to <paramref name="asOf"/>; the order must exist on that date.</summary>
    public LineEconomics AsOf(DateOnly asOf)
    {
        if (OrderDate > asOf)
        {
            throw new ArgumentOutOfRangeException(nameof(asOf), asOf, $"Order {OrderId} of {OrderDate:yyyy-MM-dd} does not exist as of {asOf:yyyy-MM-dd}.");
        }

        var economics = Sale;
        foreach (var effect in Returns)
        {
            if (effect.Date <= asOf)
            {
                economics += effect.Effect;
            }
        }

        return economics;
    }

    /// <summary>
    /// Computes the facts of every sales line: its unit cost on its order date and the effect of each of its returns.
    /// Returns of lines that are not in <paramref name="sales"/> are left out (the ledger rejects them on import).
    /// </summary>
    /// <exception cref="ArgumentException">A line's returns add up to more units than it sold.</exception>
    public static IReadOnlyList<LineFact> Build(
        IEnumerable<SaleLine> sales,
        IEnumerable<ReturnEvent> returns,
        IEnumerable<UnitCost> costs,
        TimeZoneInfo zone) => Build(sales, returns, new UnitCostBook(costs), zone);

    /// <summary>As <see cref="Build(IEnumerable{SaleLine}, IEnumerable{ReturnEvent}, IEnumerable{UnitCost}, TimeZoneInfo)"/>, with costs already indexed.</summary>
    public static IReadOnlyList<LineFact> Build(
        IEnumerable<SaleLine> sales,
        IEnumerable<ReturnEvent> returns,
        UnitCostBook costBook,
        TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(sales);
        ArgumentNullException.ThrowIfNull(returns);
        ArgumentNullException.ThrowIfNull(costBook);
        ArgumentNullException.ThrowIfNull(zone);

        var returnsByLine = returns
            .GroupBy(r => (r.Marketplace, r.OrderId, r.LineId))
            .ToDictionary(g => g.Key, g => g.ToList());

        var facts = new List<LineFact>();
        foreach (var line in sales)
        {
            var date = LocalDates.Of(line.OrderedAt, zone);
            var sale = new LineSale(line.Quantity, line.Revenue, line.Commission, line.Logistics, line.Acquiring, line.OtherFees, costBook.CostOn(line.Sku, date));
            var effects = new List<ReturnEffect>();
            var returnedUnits = 0;
            foreach (var r in returnsByLine.GetValueOrDefault((line.Marketplace, line.OrderId, line.LineId)) ?? [])
            {
                if (r.Quantity <= 0)
                {
                    throw new ArgumentException($"Return {r.ReturnId} of order {r.OrderId} returns {r.Quantity} units.", nameof(returns));
                }

                returnedUnits += r.Quantity;
                var one = LineReturns.None.Add(r.Quantity, r.Refund, r.CommissionRefund, r.ReturnLogistics, r.Restockable);
                effects.Add(new ReturnEffect(r.ReturnId, LocalDates.Of(r.ReturnedAt, zone), LineEconomics.Returned(sale, one)));
            }

            if (returnedUnits > line.Quantity)
            {
                throw new ArgumentException($"{returnedUnits} units returned of {line.Quantity} sold on line {line.LineId} of order {line.OrderId}.", nameof(returns));
            }

            facts.Add(new LineFact(line.Marketplace, line.OrderId, line.LineId, line.Sku, date, LineEconomics.Sold(sale), [.. effects.OrderBy(e => e.Date)]));
        }

        return facts;
    }
}
