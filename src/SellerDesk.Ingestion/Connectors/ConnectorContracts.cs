using SellerDesk.Data.Ledger;
using SellerDesk.Domain.Ledger;
using SellerDesk.Ingestion.Connectors.Common;


namespace SellerDesk.Ingestion.Connectors;

/// <summary>What a connection to one marketplace account holds at pull time (credentials already unprotected).</summary>
public sealed record ConnectionSettings(
    Guid Id,
    Guid WorkspaceId,
    string Marketplace,
    IReadOnlyDictionary<string, string> Credentials,
    Uri? BaseUrl);

/// <summary>The local dates a pull covers, inclusive.</summary>
public sealed record PullWindow(DateOnly From, DateOnly To);

/// <summary>
/// One row as the marketplace gave it, kept whole (docs/decisions/0006): <see cref="Feed"/> names the report or
/// endpoint (<c>wb.realization</c>), <see cref="SourceId"/> is the marketplace's own id of the row (rrd_id),
/// <see cref="OrderKey"/> the ledger order id it feeds (srid) or null for period-level rows,
/// <see cref="BusinessDate"/> the local date it belongs to, <see cref="Payload"/> the row's JSON.
/// </summary>
public sealed record SourceRow(string Feed, string SourceId, string? OrderKey, DateOnly BusinessDate, string Payload);

/// <summary>
/// One page of source rows, with how far the fetch has come (for the progress bar), and what the fetch knows by now
/// about whole feeds (docs/decisions/0010-source-ownership.md):
/// <list type="bullet">
/// <item><see cref="CompletedFeeds"/>: feeds whose every row dated in the window has now been sent (on this page or
/// before). After the run, the connection's stored rows of such a feed dated in the window that the run did not send
/// are deleted, with what they fed in the ledger: the marketplace dropped them from its restated report. Declare a
/// feed only when the marketplace is asked for exactly the rows whose <see cref="SourceRow.BusinessDate"/> lies in
/// the window (a report filtered by that date); a feed never declared keeps rows the marketplace dropped.</item>
/// <item><see cref="FailedFeeds"/>: a feed that could not be read for the window (a secondary feed such as ads whose
/// method failed): the connector says so and goes on with the other feeds instead of throwing. The run lands every
/// row sent, deletes nothing of the failed feed, succeeds with the failure as a notice and shows it on the
/// connection. Throwing <see cref="ConnectorException"/> instead fails the whole run and keeps nothing of it.</item>
/// </list>
/// </summary>
public sealed record SourcePage(IReadOnlyList<SourceRow> Rows, int PagesRead)
{
    public IReadOnlyList<string> CompletedFeeds { get; init; } = [];

    public IReadOnlyList<FeedFailure> FailedFeeds { get; init; } = [];

    /// <summary>
    /// Parts of a feed sent whole whatever their dates (a marketplace report uploaded again: decision 0027): after
    /// the run, the connection's stored rows of <see cref="FeedPart.Feed"/> whose source id starts with
    /// <see cref="FeedPart.SourceIdPrefix"/> that the run did not send are deleted, with what they fed in the ledger.
    /// </summary>
    public IReadOnlyList<FeedPart> CompletedParts { get; init; } = [];
}

/// <summary>The rows of a feed whose source ids start with <see cref="SourceIdPrefix"/> (one uploaded report's lines).</summary>
public sealed record FeedPart(string Feed, string SourceIdPrefix);

/// <summary>A feed the fetch could not read for the window, why (both languages), and what kind of failure it was.</summary>
public sealed record FeedFailure(string Feed, ConnectorFailure Failure, LocalText Text);

/// <summary>
/// Ledger records derived from source rows, the same shapes the ledger files carry, and the <see cref="Gaps"/>: source
/// money the mapping could not put into the ledger, each with why and the source ids it came from (the pull records
/// them with the rows' raw content and counts their payout effect in reconciliation).
/// </summary>
public sealed record DerivedLedger(
    IReadOnlyList<SaleLine> Sales,
    IReadOnlyList<ReturnEvent> Returns,
    IReadOnlyList<AdSpend> AdSpend,
    IReadOnlyList<PeriodFee> Fees)
{
    /// <summary>What the mapping left out, with why (empty when the ledger carries everything).</summary>
    public IReadOnlyList<MappingGap> Gaps { get; init; } = [];

    /// <summary>
    /// Attribution rows (metrics.md 3.1): orders the marketplace's ad statistics or external-traffic reports say a
    /// channel drove, per SKU and day. Like ad spend, they are derived per date: a date's rows come whole from that
    /// date's source rows, and the connection's stored rows of a derived date that the mapping no longer gives go.
    /// </summary>
    public IReadOnlyList<AttributionRow> Attribution { get; init; } = [];

    /// <summary>Where each of <see cref="Attribution"/> came from, in the same order (empty: not known).</summary>
    public IReadOnlyList<RowOrigin?> AttributionOrigins { get; init; } = [];

    /// <summary>
    /// Display names the marketplace gives the channels of these records (a campaign's name for <c>wb_adv_123</c>);
    /// the pull stores a name for a channel the workspace has not named yet, and never replaces the seller's.
    /// </summary>
    public IReadOnlyDictionary<string, string> ChannelNames { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);
}

/// <summary>
/// A marketplace connector: fetches source rows page by page over HTTP, and maps source rows to ledger records.
/// Mapping is pure and deterministic: it is given every source row of the orders (and dates) it must produce.
/// </summary>
/// <remarks>
/// Reconciliation (decision 0010) checks every run against the marketplace's own figures, per order and per date:
/// for each order, <see cref="MarketplacePayout"/> of all its stored rows must equal the payout
/// (<c>SellerDesk.Domain.Ledger.Payout</c>) of the ledger rows the mapping made of it, plus the
/// <see cref="MappingGap.PayoutEffect"/> of its gaps; for each date, that of the rows without an order (and of the
/// rows of orders that have no ledger row at all) must equal the period fees of that date plus its gaps. So:
/// <list type="bullet">
/// <item><see cref="MarketplacePayout"/> comes from the marketplace's raw figures (WB <c>forPay</c>, Ozon finance
/// <c>amount</c>) and adds up over any split of the rows by order and date;</item>
/// <item>an order's money goes on its own sales lines and returns, or into gaps naming that order (<see
/// cref="MappingGap.OrderKey"/> set to the rows' order key); only an order that gets no ledger row may be booked as
/// period fees, on its rows' dates;</item>
/// <item>money the mapping cannot place is a <see cref="MappingGap"/>, never dropped silently.</item>
/// </list>
/// Messages: <see cref="ConnectorException.Text"/> and notices are written in both languages, and never promise a
/// retry ("will retry at the next run"): the runner adds what happens next from the connection's schedule.
/// </remarks>
public interface IMarketplaceConnector
{
    /// <summary>The marketplace code the ledger uses (<c>wildberries</c>).</summary>
    string Marketplace { get; }

    /// <summary>Streams the source rows of a window; throws <see cref="ConnectorException"/> with a plain message.</summary>
    IAsyncEnumerable<SourcePage> FetchAsync(ConnectionSettings connection, PullWindow window, CancellationToken cancellationToken);

    /// <summary>Ledger records of the given source rows (all rows of each order key they contain).</summary>
    DerivedLedger Map(IReadOnlyList<SourceRow> rows, TimeZoneInfo zone);

    /// <summary>The marketplace's own payout total over these source rows, for reconciliation; null if it gives none.</summary>
    decimal? MarketplacePayout(IReadOnlyList<SourceRow> rows);
}

/// <summary>Why a pull failed, so the run and the connection can say what to do.</summary>
public enum ConnectorFailure
{
    /// <summary>Not classified (the default); treated as a failed run.</summary>
    Unknown = 0,

    /// <summary>401/403: the token was rejected; stop at once and ask for a new one.</summary>
    Unauthorized,

    /// <summary>Still throttled after waiting as the marketplace asked.</summary>
    Throttled,

    /// <summary>5xx or network errors after retries with back-off.</summary>
    Unavailable,

    /// <summary>An answer that does not have the documented shape.</summary>
    BadResponse,

    /// <summary>
    /// The marketplace says the method called is switched off (Ozon 400 code 9, WB 403/410 on a retired path): the
    /// connector needs an update; the message names the method.
    /// </summary>
    MethodRetired,
}

/// <summary>
/// A connector failure with a message a seller can act on ("token rejected by Wildberries: paste a new one"), in both
/// UI languages (<see cref="Text"/>; <see cref="Exception.Message"/> is the English one, for logs).
/// </summary>
public sealed class ConnectorException : Exception
{
    public ConnectorException(ConnectorFailure failure, LocalText text, Exception? inner = null)
        : base(text?.En, inner)
    {
        ArgumentNullException.ThrowIfNull(text);
        Failure = failure;
        Text = text;
    }

    /// <summary>An English-only message; prefer <see cref="ConnectorException(ConnectorFailure, LocalText, Exception?)"/>.</summary>
    public ConnectorException(ConnectorFailure failure, string message, Exception? inner = null)
        : base(message, inner)
    {
        Failure = failure;
        Text = new LocalText(message, message);
    }

    public ConnectorException()
    {
    }

    public ConnectorException(string message)
        : base(message)
    {
    }

    public ConnectorException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ConnectorFailure Failure { get; }

    /// <summary>The message in English and Russian.</summary>
    public LocalText Text { get; } = new(string.Empty, string.Empty);
}
