namespace SellerDesk.Ingestion.Pulls;

/// <summary>The states of a pull run (<c>pull_runs.status</c>): queued -> running -> succeeded | failed.</summary>
public static class PullRunStatus
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
}

/// <summary>The states of a connection (<c>connections.status</c>) the pull runner sets.</summary>
public static class ConnectionStatus
{
    public const string Healthy = "healthy";
    public const string NeedsToken = "needs_token";
    public const string Failing = "failing";
}

/// <summary>
/// How a pull run ended, as stored in its <c>pull_runs</c> row: <see cref="Status"/> is
/// <see cref="PullRunStatus.Succeeded"/> or <see cref="PullRunStatus.Failed"/> (then <see cref="Error"/> says why in
/// plain words); <see cref="Inserted"/> / <see cref="Updated"/> count source rows that were new / changed;
/// the payouts are the reconciliation figures (null when the marketplace or the strategy gives none).
/// </summary>
public sealed record PullRunResult(
    string Status,
    int PagesRead,
    int RowsRead,
    int Inserted,
    int Updated,
    string? Error,
    decimal? MarketplacePayout,
    decimal? LedgerPayout)
{
    public bool Succeeded => Status == PullRunStatus.Succeeded;
}
