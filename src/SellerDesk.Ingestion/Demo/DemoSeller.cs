using SellerDesk.Domain.Ledger;

namespace SellerDesk.Ingestion.Demo;

/// <summary>
/// A small seller of home textiles and apparel on Wildberries, Ozon, Yandex Market and an own web store:
/// a year of believable orders, returns, ad spend, marketplace fees and unit costs, used to fill an empty
/// workspace so that every page has something real to show.
/// </summary>
/// <remarks>
/// The story the reports tell: Wildberries is the biggest and returns the most (apparel sizes); marketplace orders
/// carry no channel, and the marketplaces' ad statistics attribute them (metrics.md 3.1) to the seller's campaigns:
/// the WB search campaign, the Ozon promotion and the Yandex Market boost pay for themselves on the first order, the
/// WB catalog campaign does not; blogger_maria's tracked links to Wildberries and Ozon pay for themselves too. On the
/// own store vk_ads and the referral program pay for themselves on the first order; blogger_anna's buyers cost more
/// than their first order brings but come back, so the channel pays back; yandex_direct on the own store and vk_ads
/// (tracked links to Ozon) cost more than their customers bring (and the Ozon vk_ads campaign stopped bringing anyone
/// in the last two months while still spending); a supplier raised two prices mid-year; one rarely sold SKU has no
/// unit cost.
/// </remarks>
public static class DemoSeller
{
    /// <summary>The workspace the demo ledger is meant for.</summary>
    public const string WorkspaceName = "demo";

    /// <summary>How many local days the ledger covers, ending on <c>lastDay</c>.</summary>
    public const int Days = 365;

    /// <summary>The seed of the demo seller's ledger.</summary>
    public const int DefaultSeed = 20260101;

    /// <summary>SKUs in the demo seller's catalog (a larger generated seller has variants of them).</summary>
    public const int CatalogSkus = 13;

    /// <summary>
    /// A year of data ending on <paramref name="lastDay"/> (inclusive), dated in <paramref name="zone"/>.
    /// The same inputs always give the same ledger: nothing depends on the clock.
    /// </summary>
    /// <param name="lastDay">The last local date with data; nothing is dated after it.</param>
    /// <param name="zone">The workspace time zone (Europe/Moscow for the demo).</param>
    /// <param name="seed">Seed of the pseudo-random sequence.</param>
    public static DemoLedger Generate(DateOnly lastDay, TimeZoneInfo zone, int seed = DefaultSeed)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var rows = new ListSink();
        new DemoLedgerGenerator(new DemoLedgerOptions(lastDay, zone) { Seed = seed }, rows).Run();
        return new DemoLedger(rows.Sales, rows.Returns, rows.Spend, rows.Fees, rows.Costs)
        {
            Attribution = rows.AttributionRows,
            ChannelNames = DemoCatalog.ChannelNames,
        };
    }

    /// <summary>The demo seller's names of its campaign and blogger channel codes.</summary>
    public static IReadOnlyDictionary<string, string> ChannelNames => DemoCatalog.ChannelNames;

    /// <summary>Keeps every row: the demo seller's year is small (about 15,000 lines).</summary>
    private sealed class ListSink : ILedgerSink
    {
        public List<SaleLine> Sales { get; } = [];

        public List<ReturnEvent> Returns { get; } = [];

        public List<AdSpend> Spend { get; } = [];

        public List<PeriodFee> Fees { get; } = [];

        public List<UnitCost> Costs { get; } = [];

        public List<AttributionRow> AttributionRows { get; } = [];

        public void AddCost(UnitCost cost) => Costs.Add(cost);

        public void AddSale(SaleLine line) => Sales.Add(line);

        public void AddReturn(ReturnEvent returned) => Returns.Add(returned);

        public void AddAttribution(AttributionRow row) => AttributionRows.Add(row);

        public void AddAdSpend(AdSpend spend) => Spend.Add(spend);

        public void AddFee(PeriodFee fee) => Fees.Add(fee);
    }
}
