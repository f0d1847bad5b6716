using SellerDesk.Data;
using SellerDesk.Ingestion.Connectors.Common;

namespace SellerDesk.Ingestion.Connections;

/// <summary>
/// What is needed to connect a marketplace account, and how it starts: by default with a daily schedule at 06:00 in
/// the workspace zone (<see cref="Schedule"/>) and a first pull of the last 90 days (<see cref="BackfillDays"/>).
/// </summary>
public sealed record NewConnection(string Marketplace, string Name, IReadOnlyDictionary<string, string> Credentials, string? BaseUrl)
{
    /// <summary>The schedule; null: <see cref="ConnectionService.DefaultSchedule"/>. A schedule not enabled means none.</summary>
    public PullSchedule? Schedule { get; init; }

    /// <summary>Days of the first pull, up to today; null: <see cref="ConnectionService.DefaultBackfillDays"/>; 0: no first pull.</summary>
    public int? BackfillDays { get; init; }
}

/// <summary>A connection just made, and its first pull (queued) if it has one.</summary>
public sealed record ConnectionCreated(Guid Id, Guid? BackfillRunId);

/// <summary>What becomes of a deleted connection's ledger rows (decision 0010).</summary>
public enum ConnectionDataChoice
{
    /// <summary>They stay, as if imported from files: figures do not change, pulls no longer update them.</summary>
    Keep,

    /// <summary>They go with the connection: its sales lines, returns, ad spend and fees.</summary>
    Remove,
}

/// <summary>
/// The rows a connection owns (what <see cref="ConnectionDataChoice.Remove"/> would delete), for the confirmation of
/// its deletion: ledger rows by table, the orders they make, and the raw source rows kept for it.
/// </summary>
public sealed record ConnectionDataCounts(long SalesLines, long Returns, long AdSpend, long Fees, long Orders, long SourceRows)
{
    public long LedgerRows => SalesLines + Returns + AdSpend + Fees;
}

/// <summary>
/// Where ledger rows of a marketplace come from: a connection (<see cref="Name"/> is its name) or files
/// (<see cref="LedgerSource.File"/>, no name).
/// </summary>
public sealed record LedgerAccount(string Marketplace, LedgerSource Source, string? Name);

/// <summary>Source money a run could not put into the ledger: why, how much payout, and the raw rows (decision 0010).</summary>
public sealed record PullGapView(
    int Seq, string? OrderKey, DateOnly BusinessDate, string Reason, decimal PayoutEffect, IReadOnlyList<string> SourceIds, IReadOnlyList<string> Payloads, bool Current);

/// <summary>
/// A pull schedule: a cron expression (six fields, seconds first: <c>0 0 6 * * ?</c> is daily at 06:00 in the workspace
/// zone; see <c>PullCron</c>), how many days back each run re-pulls, and whether it is on.
/// </summary>
public sealed record PullSchedule(string? Cron, int WindowDays, bool Enabled);

/// <summary>A connection as pages and the API show it; never its credentials.</summary>
public sealed record ConnectionView(
    Guid Id,
    string Marketplace,
    string Name,
    string? BaseUrl,
    string Status,
    string? LastError,
    PullSchedule Schedule,
    DateTimeOffset? NextRunAt,
    PullRunView? LastRun,
    IReadOnlyList<string> CredentialKeys);

/// <summary>
/// One pull run: its state, period, counts, reconciliation and timing. <see cref="Error"/>, <see cref="Notices"/> and
/// <see cref="Reconciliation"/> are stored in both languages (<c>LocalText.Decode</c>, <c>LocalText.ForLines</c>).
/// A run of a deleted connection has no <see cref="ConnectionId"/> but keeps its name and marketplace.
/// </summary>
public sealed record PullRunView(
    Guid Id,
    Guid? ConnectionId,
    string Trigger,
    string Status,
    DateOnly From,
    DateOnly To,
    int PagesRead,
    int RowsRead,
    int Inserted,
    int Updated,
    string? Error,
    decimal? MarketplacePayout,
    decimal? LedgerPayout,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    DateTimeOffset? ScheduledFor,
    string? Node,
    string? Notices)
{
    /// <summary>Ledger payout minus the marketplace's own, when both are known (zero: "matches").</summary>
    public decimal? PayoutDifference => MarketplacePayout is { } m && LedgerPayout is { } l ? l - m : null;

    public TimeSpan? Duration => StartedAt is { } s && FinishedAt is { } f ? f - s : null;

    public string? ConnectionName { get; init; }

    public string? Marketplace { get; init; }

    /// <summary>The reconciliation in words (encoded <c>LocalText</c>): matches, or differs by how much and where.</summary>
    public string? Reconciliation { get; init; }

    /// <summary>The part of <see cref="LedgerPayout"/> in rows that could not be mapped (see the run's gaps).</summary>
    public decimal? UnmappedPayout { get; init; }
}

/// <summary>
/// A request that cannot be carried out, with a plain message per field (<c>name</c>, <c>credentials.token</c>) in
/// English (<see cref="Errors"/>, what the API's problem details always said) and in both UI languages
/// (<see cref="Texts"/>, what the pages show and the API adds as <c>error_texts</c>).
/// </summary>
public sealed class ConnectionValidationException : Exception
{
    public ConnectionValidationException(IReadOnlyDictionary<string, LocalText[]> texts)
        : base(string.Join("; ", (texts ?? throw new ArgumentNullException(nameof(texts))).SelectMany(e => e.Value.Select(m => $"{e.Key}: {m.En}"))))
    {
        Texts = texts;
        Errors = texts.ToDictionary(e => e.Key, e => e.Value.Select(m => m.En).ToArray());
    }

    public ConnectionValidationException(string field, LocalText message)
        : this(new Dictionary<string, LocalText[]> { [field] = [message] })
    {
    }

    public ConnectionValidationException()
        : this(new Dictionary<string, LocalText[]>())
    {
    }

    public ConnectionValidationException(string message)
        : this(string.Empty, new LocalText(message, message))
    {
    }

    public ConnectionValidationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = new Dictionary<string, string[]>();
        Texts = new Dictionary<string, LocalText[]>();
    }

    /// <summary>The messages per field in English.</summary>
    public IReadOnlyDictionary<string, string[]> Errors { get; }

    /// <summary>The messages per field in English and Russian.</summary>
    public IReadOnlyDictionary<string, LocalText[]> Texts { get; }
}
