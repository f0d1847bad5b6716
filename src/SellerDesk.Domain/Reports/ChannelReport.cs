using SellerDesk.Domain.Ledger;

namespace SellerDesk.Domain.Reports;

/// <summary>What a channel's new customers say about its ad spend (metrics.md 4.1).</summary>
public enum ChannelVerdict
{
    NoNewCustomers,
    Profitable,
    PaysBack,
    Cut,
}

/// <summary>One (marketplace, channel) row of metrics.md 4.1.</summary>
public sealed record ChannelRow(
    string Marketplace,
    string Channel,
    int NewCustomers,
    int IdentifiedCustomers,
    decimal Spend,
    decimal? Cac,
    decimal? FirstOrderMargin,
    decimal? FirstOrderProfit,
    decimal? LtvToDate,
    decimal? LtvCac,
    ChannelVerdict Verdict)
{
    /// <summary>Share of the new customers with a real buyer id; null without new customers.</summary>
    public decimal? IdentifiedShare => NewCustomers == 0 ? null : (decimal)IdentifiedCustomers / NewCustomers;

    public ChannelRow Rounded() => this with
    {
        Spend = Rounding.Money(Spend),
        Cac = Rounding.Money(Cac),
        FirstOrderMargin = Rounding.Money(FirstOrderMargin),
        FirstOrderProfit = Rounding.Money(FirstOrderProfit),
        LtvToDate = Rounding.Money(LtvToDate),
        LtvCac = Rounding.Ratio(LtvCac),
    };
}

/// <summary>CAC against first-order margin, per marketplace and acquisition channel.</summary>
public static class ChannelReport
{
    public static IReadOnlyList<ChannelRow> Compute(
        ReportPeriod period,
        IReadOnlyList<OrderDay> days,
        IEnumerable<AdSpend> spend)
    {
        ArgumentNullException.ThrowIfNull(period);
        ArgumentNullException.ThrowIfNull(days);
        ArgumentNullException.ThrowIfNull(spend);

        var spendByChannel = spend
            .Where(s => period.InRange(s.Date))
            .GroupBy(s => (s.Marketplace, s.Channel))
            .ToDictionary(g => g.Key, g => g.Sum(s => s.Amount));

        // Every order up to as_of of the customers acquired in range: first orders and all later ones.
        var newByChannel = days
            .Where(d => period.InRange(d.FirstOrderDate))
            .GroupBy(d => (d.Marketplace, d.AcquisitionChannel))
            .ToDictionary(g => g.Key, g => g.ToList());

        return spendByChannel.Keys
            .Union(newByChannel.Keys)
            .OrderBy(k => k.Item1, StringComparer.Ordinal)
            .ThenBy(k => k.Item2, StringComparer.Ordinal)
            .Select(key => Row(
                key.Item1,
                key.Item2,
                newByChannel.GetValueOrDefault(key) ?? [],
                spendByChannel.GetValueOrDefault(key)))
            .ToList();
    }

    private static ChannelRow Row(string marketplace, string channel, List<OrderDay> ordersOfNewCustomers, decimal spend)
    {
        var n = ordersOfNewCustomers.Sum(d => d.NewCustomers);
        if (n == 0)
        {
            return new ChannelRow(marketplace, channel, 0, 0, spend, null, null, null, null, null, ChannelVerdict.NoNewCustomers);
        }

        var cac = spend / n;
        var firstOrderMargin = ordersOfNewCustomers.Sum(d => d.FirstOrderMargin) / n;
        var ltv = ordersOfNewCustomers.Sum(d => d.ContributionMargin) / n;
        var verdict = firstOrderMargin >= cac ? ChannelVerdict.Profitable
            : ltv >= cac ? ChannelVerdict.PaysBack
            : ChannelVerdict.Cut;

        return new ChannelRow(
            marketplace,
            channel,
            n,
            ordersOfNewCustomers.Sum(d => d.NewIdentifiedCustomers),
            spend,
            cac,
            firstOrderMargin,
            firstOrderMargin - cac,
            ltv,
            Rounding.Divide(ltv, cac),
            verdict);
    }
}
