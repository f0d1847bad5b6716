namespace SellerDesk.Ingestion.Connections;

/// <summary>What is needed to connect a marketplace account.</summary>
public sealed record NewConnection(string Marketplace, string Name, IReadOnlyDictionary<string, string> Credentials, string? BaseUrl);

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

/// <summary>One pull run: its state, period, counts, reconciliation and timing.</summary>
public sealed record PullRunView(
    Guid Id,
    Guid ConnectionId,
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
}

/// <summary>A request that cannot be carried out, with a plain message per field (<c>name</c>, <c>credentials.token</c>).</summary>
public sealed class ConnectionValidationException : Exception
{
    public ConnectionValidationException(IReadOnlyDictionary<string, string[]> errors)
        : base(string.Join("; ", errors.SelectMany(e => e.Value.Select(m => $"{e.Key}: {m}")))) => Errors = errors;

    public ConnectionValidationException(string field, string message)
        : this(new Dictionary<string, string[]> { [field] = [message] })
    {
    }

    public ConnectionValidationException()
        : this(new Dictionary<string, string[]>())
    {
    }

    public ConnectionValidationException(string message)
        : this(string.Empty, message)
    {
    }

    public ConnectionValidationException(string message, Exception innerException)
        : base(message, innerException) => Errors = new Dictionary<string, string[]>();

    public IReadOnlyDictionary<string, string[]> Errors { get; }
}
