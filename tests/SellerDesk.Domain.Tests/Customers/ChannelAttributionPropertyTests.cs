using SellerDesk.Domain.Customers;
using SellerDesk.Domain.Ledger;

namespace SellerDesk.Domain.Tests.Customers;

/// <summary>metrics.md 3.1 on random ledgers, against the rules written out the slow, literal way.</summary>
public sealed class ChannelAttributionPropertyTests
{
    public static TheoryData<int> Seeds => [11, 12, 13, 14, 15, 16];

    /// <summary>3.1 as the page reads: dates, then SKUs, then each marketplace's rows by channel; candidates searched afresh for each row.</summary>
    private static (Dictionary<(string, string), string> Channels, List<(AttributionRow Row, int Taken)> Claims) Reference(
        IReadOnlyList<LedgerOrder> orders, IReadOnlyList<AttributionRow> rows, DateOnly asOf)
    {
        var attributed = new Dictionary<(string, string), string>();
        var claims = new List<(AttributionRow, int)>();
        var live = rows.Where(r => r.Date <= asOf).ToList();
        foreach (var date in live.Select(r => r.Date).Distinct().Order())
        {
            foreach (var sku in live.Where(r => r.Date == date).Select(r => r.Sku).Distinct().Order(StringComparer.Ordinal))
            {
                foreach (var row in live.Where(r => r.Date == date && r.Sku == sku).OrderBy(r => r.Marketplace, StringComparer.Ordinal).ThenBy(r => r.Channel, StringComparer.Ordinal))
                {
                    var candidates = orders
                        .Where(o => o.Marketplace == row.Marketplace && o.LocalDate == date && o.LocalDate <= asOf && o.Channel == "organic"
                                    && o.Skus.Contains(sku) && !attributed.ContainsKey((o.Marketplace, o.OrderId)))
                        .OrderBy(o => o.OrderedAt.UtcDateTime)
                        .ThenBy(o => o.OrderId, StringComparer.Ordinal)
                        .Take(row.Orders)
                        .ToList();
                    foreach (var order in candidates)
                    {
                        attributed[(order.Marketplace, order.OrderId)] = row.Channel;
                    }

                    claims.Add((row, candidates.Count));
                }
            }
        }

        var channels = orders
            .Where(o => o.LocalDate <= asOf)
            .ToDictionary(o => (o.Marketplace, o.OrderId), o => o.Channel != "organic" ? o.Channel : attributed.GetValueOrDefault((o.Marketplace, o.OrderId)) ?? "organic");
        return (channels, claims);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Attribution_gives_every_order_the_channel_and_every_row_the_count_the_rules_give(int seed)
    {
        var ledger = RandomLedger.Generate(seed, orders: 500, attributedChannelsOnly: seed % 2 == 0);
        var orders = LedgerOrder.FromLines(ledger.Sales, RandomLedger.Moscow);
        var asOf = RandomLedger.FirstDay.AddDays(90 + seed);

        var result = ChannelAttribution.Attribute(orders, ledger.Attribution, asOf);
        var (channels, claims) = Reference(orders, ledger.Attribution, asOf);

        orders.Where(o => o.LocalDate <= asOf).ToDictionary(o => (o.Marketplace, o.OrderId), result.EffectiveChannel).Should().BeEquivalentTo(channels);
        result.Claims.Select(c => (c.Row, c.Taken)).Should().BeEquivalentTo(claims);
        result.AttributedOrders.Should().NotBeEmpty("the random ledger gives attribution something to do");
        result.Claims.Should().Contain(c => c.Unmatched > 0);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Attribution_as_of_a_date_is_the_whole_ledgers_attribution_of_what_exists_then(int seed)
    {
        var ledger = RandomLedger.Generate(seed, attributedChannelsOnly: true);
        var orders = LedgerOrder.FromLines(ledger.Sales, RandomLedger.Moscow);
        var asOf = RandomLedger.FirstDay.AddDays(40 + (7 * seed));

        var then = ChannelAttribution.Attribute(orders, ledger.Attribution, asOf);
        var all = ChannelAttribution.Attribute(orders, ledger.Attribution, DateOnly.MaxValue);

        var existing = orders.Where(o => o.LocalDate <= asOf).ToList();
        existing.Select(then.EffectiveChannel).Should().Equal(existing.Select(all.EffectiveChannel));
        then.Claims.Should().BeEquivalentTo(all.Claims.Where(c => c.Row.Date <= asOf));
    }
}
