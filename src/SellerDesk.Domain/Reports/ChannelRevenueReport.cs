namespace SellerDesk.Domain.Reports;

/// <summary>The fields metrics.md 4.6 adds to a 4.1 row: the channel's revenue, DRR and ROAS.</summary>
public sealed record ChannelRevenueRow(string Marketplace, string Channel, decimal Revenue, decimal? Drr, decimal? Roas)
{
    public ChannelRevenueRow Rounded() => this with
    {
        Revenue = Rounding.Money(Revenue),
        Drr = Rounding.Ratio(Drr),
        Roas = Rounding.Ratio(Roas),
    };
}

/// <summary>
/// Channel revenue, DRR (доля рекламных расходов) and ROAS (metrics.md 4.6): the gross revenue of every order in range
/// whose effective channel is the row's channel, not only of first orders, against the row's spend.
/// </summary>
public static class ChannelRevenueReport
{
    /// <param name="channels">The 4.1 rows (unrounded): one 4.6 row each, with their spend.</param>
    /// <param name="orders">The lines of the orders placed in range, per (marketplace, effective channel).</param>
    public static IReadOnlyList<ChannelRevenueRow> Compute(IEnumerable<ChannelRow> channels, IEnumerable<ChannelOrderLines> orders)
    {
        ArgumentNullException.ThrowIfNull(channels);
        ArgumentNullException.ThrowIfNull(orders);

        var revenueBy = orders
            .GroupBy(o => (o.Marketplace, o.Channel))
            .ToDictionary(g => g.Key, g => g.Sum(o => o.Lines.Revenue));

        return channels
            .Select(c =>
            {
                var revenue = revenueBy.GetValueOrDefault((c.Marketplace, c.Channel));
                return new ChannelRevenueRow(c.Marketplace, c.Channel, revenue, Rounding.Divide(c.Spend, revenue), Rounding.Divide(revenue, c.Spend));
            })
            .ToList();
    }
}
