using SellerDesk.Domain.Economics;
using SellerDesk.Domain.Reports;

namespace SellerDesk.Web.Features.ProfitAndLoss;

/// <summary>Where a line's parts come from, so the page can say why a line has none.</summary>
public enum PnlPartsSource
{
    /// <summary>The ledger holds the line as one amount per order line: no finer split.</summary>
    None,

    /// <summary>The line is computed from the lines above it.</summary>
    Computed,

    /// <summary>The order lines' own components (commission charged and refunded, delivery and return logistics, ...).</summary>
    Components,

    /// <summary>The period fees' kinds (storage, acceptance, ...), as the ledger names them.</summary>
    FeeKinds,

    /// <summary>The ad spend's channels.</summary>
    Channels,
}

/// <summary>One part of a line: a code (fee kind, channel or component) and its amount per month, unrounded.</summary>
public sealed record PnlPart(string Code, IReadOnlyList<decimal> Months)
{
    public decimal Total => Months.Sum();
}

/// <summary>One line of the statement, unrounded, per month of <see cref="PnlStatement.Months"/>, with its parts.</summary>
public sealed record PnlLine(string Code, IReadOnlyList<decimal> Months, PnlPartsSource Source, IReadOnlyList<PnlPart> Parts)
{
    public decimal Total => Months.Sum();

    /// <summary>Contribution margin and profit: results of the lines above them.</summary>
    public bool IsResult => Source == PnlPartsSource.Computed;
}

/// <summary>
/// The profit and loss statement of metrics.md 4.5 as the page and the exports show it: months as columns, lines
/// from revenue down to profit, for one marketplace or all of them summed. Lines and parts are exact sums of the
/// 4.5 rows and of the ledger rows behind them (parts add up to their line); round on output.
/// </summary>
public sealed record PnlStatement(
    ReportPeriod Period,
    string? Marketplace,
    IReadOnlyList<string> Marketplaces,
    IReadOnlyList<YearMonth> Months,
    IReadOnlyList<PnlLine> Lines)
{
    public static readonly IReadOnlyList<string> LineCodes =
    [
        "revenue", "refunds", "commission", "logistics", "acquiring", "other_fees", "cogs", "contribution_margin", "period_fees", "ad_spend", "profit",
    ];

    /// <summary>A month is unfinished when it had not ended on as_of: its figures will still change.</summary>
    public bool IsUnfinished(YearMonth month) => LastDay(month) > Period.AsOf;

    public PnlLine Line(string code) => Lines.First(l => l.Code == code);

    private static DateOnly LastDay(YearMonth month) => new DateOnly(month.Year, month.Month, 1).AddMonths(1).AddDays(-1);

    /// <summary>
    /// The statement of <paramref name="marketplace"/> (null: all marketplaces summed) from the reports' 4.5 rows, with
    /// the parts read from the same sums: order-line components, period fees by kind and ad spend by channel, dated
    /// in range, of the marketplaces the rows cover.
    /// </summary>
    public static PnlStatement Of(FactReports reports, string? marketplace)
    {
        ArgumentNullException.ThrowIfNull(reports);
        var period = reports.Period;
        var all = reports.ProfitAndLoss();
        var marketplaces = all.Select(r => r.Marketplace).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var rows = all.Where(r => marketplace is null || r.Marketplace == marketplace).ToList();
        var covered = rows.Select(r => r.Marketplace).ToHashSet(StringComparer.Ordinal);
        var months = rows.Select(r => r.Month).Distinct().Order().ToList();
        var index = months.Select((m, i) => (m, i)).ToDictionary(x => x.m, x => x.i);

        decimal[] Sum(Func<ProfitAndLossRow, decimal> field)
        {
            var values = new decimal[months.Count];
            foreach (var row in rows)
            {
                values[index[row.Month]] += field(row);
            }

            return values;
        }

        var lines = new Dictionary<(string, YearMonth), LineEconomics>();
        foreach (var sum in reports.Sums.Months.Where(m => covered.Contains(m.Marketplace) && index.ContainsKey(m.Month)))
        {
            lines[(sum.Marketplace, sum.Month)] = sum.Lines;
        }

        decimal[] Component(Func<LineEconomics, decimal> field)
        {
            var values = new decimal[months.Count];
            foreach (var ((_, month), economics) in lines)
            {
                values[index[month]] += field(economics);
            }

            return values;
        }

        List<PnlPart> ByCode<T>(IEnumerable<T> entries, Func<T, DateOnly> date, Func<T, string> marketplaceOf, Func<T, string> code, Func<T, decimal> amount) =>
            [.. entries
                .Where(e => period.InRange(date(e)) && covered.Contains(marketplaceOf(e)) && index.ContainsKey(YearMonth.Of(date(e))))
                .GroupBy(code, StringComparer.Ordinal)
                .OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g =>
                {
                    var values = new decimal[months.Count];
                    foreach (var e in g)
                    {
                        values[index[YearMonth.Of(date(e))]] += amount(e);
                    }

                    return new PnlPart(g.Key, values);
                })];

        var statement = new List<PnlLine>
        {
            new("revenue", Sum(r => r.Revenue), PnlPartsSource.None, []),
            new("refunds", Sum(r => r.Refunds), PnlPartsSource.None, []),
            new("commission", Sum(r => r.Commission), PnlPartsSource.Components,
            [
                new PnlPart("commission_charged", Component(e => e.Commission)),
                new PnlPart("commission_refunded", Component(e => -e.CommissionRefund)),
            ]),
            new("logistics", Sum(r => r.Logistics), PnlPartsSource.Components,
            [
                new PnlPart("delivery", Component(e => e.Logistics)),
                new PnlPart("return_logistics", Component(e => e.ReturnLogistics)),
            ]),
            new("acquiring", Sum(r => r.Acquiring), PnlPartsSource.None, []),
            new("other_fees", Sum(r => r.OtherFees), PnlPartsSource.None, []),
            new("cogs", Sum(r => r.Cogs), PnlPartsSource.Components,
            [
                new PnlPart("cogs_sold", Component(e => e.SoldCogs)),
                new PnlPart("cogs_back_in_stock", Component(e => e.NonrestockCogs - e.ReturnedCogs)),
            ]),
            new("contribution_margin", Sum(r => r.ContributionMargin), PnlPartsSource.Computed, []),
            new("period_fees", Sum(r => r.PeriodFees), PnlPartsSource.FeeKinds, ByCode(reports.Sums.Fees, f => f.Date, f => f.Marketplace, f => f.Kind, f => f.Amount)),
            new("ad_spend", Sum(r => r.AdSpend), PnlPartsSource.Channels, ByCode(reports.Sums.Spend, s => s.Date, s => s.Marketplace, s => s.Channel, s => s.Amount)),
            new("profit", Sum(r => r.Profit), PnlPartsSource.Computed, []),
        };

        return new PnlStatement(period, marketplace, marketplaces, months, statement);
    }
}
