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
    int AttributedCustomers,
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

/// <summary>CAC against first-order margin, per marketplace and acquisition channel (metrics.md 4.1).</summary>
public static class ChannelReport
{
    /// <param name="period">from, to and as_of.</param>
    /// <param name="customers">Sums of the customers whose first order is in range (<see cref="CustomerMonth"/>).</param>
    /// <param name="spend">Ad spend rows; those dated in range count.</param>
    public static IReadOnlyList<ChannelRow> Compute(
        ReportPeriod period,
        IEnumerable<CustomerMonth> customers,
        IEnumerable<AdSpend> spend)
    {
        ArgumentNullException.ThrowIfNull(period);
        ArgumentNullException.ThrowIfNull(customers);
        ArgumentNullException.ThrowIfNull(spend);

        var spendByChannel = spend
            .Where(s => period.InRange(s.Date))
            .GroupBy(s => (s.Marketplace, s.Channel))
            .ToDictionary(g => g.Key, g => g.Sum(s => s.Amount));

        var acquired = customers
            .GroupBy(c => (c.Marketplace, c.AcquisitionChannel))
            .ToDictionary(g => g.Key, g => g.ToList());

        return spendByChannel.Keys
            .Union(acquired.Keys)
            .OrderBy(k => k.Item1, StringComparer.Ordinal)
            .ThenBy(k => k.Item2, StringComparer.Ordinal)
            .Select(key => Row(key.Item1, key.Item2, acquired.GetValueOrDefault(key) ?? [], spendByChannel.GetValueOrDefault(key)))
            .Where(row => row.NewCustomers > 0 || spendByChannel.ContainsKey((row.Marketplace, row.Channel)))
            .ToList();
    }

    private static ChannelRow Row(string marketplace, string channel, List<CustomerMonth> customers, decimal spend)
    {
        var n = customers.Sum(c => c.NewCustomers);
        if (n == 0)
        {
            return new ChannelRow(marketplace, channel, 0, 0, 0, spend, null, null, null, null, null, ChannelVerdict.NoNewCustomers);
        }

        var cac = spend / n;
        var firstOrderMargin = customers.Sum(c => c.FirstOrderMargin) / n;
        var ltv = customers.Sum(c => c.ContributionMargin) / n;
        var verdict = firstOrderMargin >= cac ? ChannelVerdict.Profitable
            : ltv >= cac ? ChannelVerdict.PaysBack
            : ChannelVerdict.Cut;

        return new ChannelRow(
            marketplace,
            channel,
            n,
            customers.Sum(c => c.IdentifiedCustomers),
            customers.Sum(c => c.AttributedCustomers),
            spend,
            cac,
            firstOrderMargin,
            firstOrderMargin - cac,
            ltv,
            Rounding.Divide(ltv, cac),
            verdict);
    }
}
