using SellerDesk.Ingestion.Connectors;

namespace SellerDesk.Ingestion.Pulls;

/// <summary>
/// A connector that can map source rows part by part (<see cref="ILedgerMappingSession"/>), so the pull runner streams
/// a derivation or a reconciliation through it instead of holding every row at once: memory then follows the ledger
/// records, not the raw rows. Connectors without it are mapped all at once (<see cref="IMarketplaceConnector.Map"/>).
/// </summary>
public interface IStreamingLedgerMapper
{
    /// <summary>Starts a mapping of rows that will be given in parts.</summary>
    ILedgerMappingSession StartMapping(TimeZoneInfo zone);
}

/// <summary>One mapping of rows given in parts; the same result as one <see cref="IMarketplaceConnector.Map"/> of them all.</summary>
public interface ILedgerMappingSession
{
    /// <summary>
    /// Adds rows: every row of each order key among them (rows of one order never span two parts); rows without an
    /// order key may come in any part. Each source row comes once.
    /// </summary>
    void Add(IReadOnlyList<SourceRow> rows);

    /// <summary>
    /// The ledger records of every row added (what <see cref="IMarketplaceConnector.Map"/> of them all gives), with
    /// the gaps not yet handed over by <see cref="TakeOrders"/>.
    /// </summary>
    DerivedLedger Finish();

    /// <summary>
    /// Hands over the sales lines and returns mapped so far and forgets them (a later <see cref="Finish"/> gives only
    /// what came after, plus every period fee and ad spend), so a long derivation can be written in parts and memory
    /// stays flat; null when this session cannot. It may hand over the gaps found so far too (each gap once, here or
    /// at <see cref="Finish"/>).
    /// </summary>
    DerivedLedger? TakeOrders() => null;

    /// <summary>
    /// The marketplace's payout over every row added (<see cref="IMarketplaceConnector.MarketplacePayout"/>), from the
    /// same parse. Reconciliation asks the connector per order instead (decision 0010).
    /// </summary>
    decimal? MarketplacePayout { get; }
}

/// <summary>The session of a connector that maps only all at once: keeps the rows, maps them at the end.</summary>
internal sealed class CollectingMappingSession(IMarketplaceConnector connector, TimeZoneInfo zone) : ILedgerMappingSession
{
    private DerivedLedger? _mapped;

    public List<SourceRow> Rows { get; } = [];

    public decimal? MarketplacePayout => connector.MarketplacePayout(Rows);

    public void Add(IReadOnlyList<SourceRow> rows) => Rows.AddRange(rows);

    public DerivedLedger Finish() => _mapped ??= connector.Map(Rows, zone);
}
