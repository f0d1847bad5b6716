namespace SellerDesk.Ingestion.Demo;

/// <summary>
/// What <see cref="DemoLedgerGenerator"/> makes: the period (<see cref="Days"/> local days ending on
/// <see cref="LastDay"/> in <see cref="Zone"/>), the seed, and the seller's size. The defaults are the demo seller.
/// </summary>
/// <param name="LastDay">The last local date with data; nothing is dated after it.</param>
/// <param name="Zone">The workspace time zone the timestamps are dated in.</param>
public sealed record DemoLedgerOptions(DateOnly LastDay, TimeZoneInfo Zone)
{
    /// <summary>Seed of the pseudo-random sequence: the same options always give the same rows.</summary>
    public int Seed { get; init; } = DemoSeller.DefaultSeed;

    /// <summary>How many local days the ledger covers, ending on <see cref="LastDay"/>.</summary>
    public int Days { get; init; } = DemoSeller.Days;

    /// <summary>
    /// The seller's size against the demo seller: multiplies every day's orders (and so its customers, returns and
    /// attribution), ad spend and marketplace fees. 1 is the demo seller (about 15,000 lines a year); the benchmark's
    /// million lines are a scale of about 65.
    /// </summary>
    public double Scale { get; init; } = 1;

    /// <summary>
    /// SKUs in the catalog: the demo seller's <see cref="DemoSeller.CatalogSkus"/>, or more, made as variants of them
    /// (colours and sizes with their own prices and popularity).
    /// </summary>
    public int Skus { get; init; } = DemoSeller.CatalogSkus;

    /// <summary>
    /// Multiplies the share of Ozon and Yandex Market orders that carry a buyer id (each capped at every order), and so
    /// the number of identified buyers a ledger of a given size has. 1 is the demo seller; the benchmark raises it to
    /// reach the buyers per line its target ledger asks for.
    /// </summary>
    public double BuyerIdShare { get; init; } = 1;
}

/// <summary>How much <see cref="DemoLedgerGenerator.Run"/> made.</summary>
/// <param name="SalesLines">Sales lines.</param>
/// <param name="Orders">Orders (each has one to three lines).</param>
/// <param name="Returns">Return events.</param>
/// <param name="IdentifiedBuyers">Distinct buyer ids (Ozon, Yandex Market and the own store; Wildberries gives none).</param>
public sealed record DemoLedgerStats(long SalesLines, long Orders, long Returns, long IdentifiedBuyers);
