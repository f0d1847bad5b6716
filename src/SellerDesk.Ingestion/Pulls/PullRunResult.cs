using SellerDesk.Ingestion.Connectors.Common;

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

    /// <summary>The marketplace switched off a method the connector calls: SellerDesk's connector needs an update.</summary>
    public const string NeedsUpdate = "needs_update";

    /// <summary>What a connection is after a failure of this kind: a rejected token, a retired method, or failing.</summary>
    public static string After(Connectors.ConnectorFailure failure) => failure switch
    {
        Connectors.ConnectorFailure.Unauthorized => NeedsToken,
        Connectors.ConnectorFailure.MethodRetired => NeedsUpdate,
        _ => Failing,
    };
}

/// <summary>
/// How a pull run ended, as stored in its <c>pull_runs</c> row: <see cref="Status"/> is
/// <see cref="PullRunStatus.Succeeded"/> or <see cref="PullRunStatus.Failed"/> (then <see cref="Error"/> says why, in
/// both languages, and what happens next); <see cref="Inserted"/> / <see cref="Updated"/> count source rows that were
/// new / changed; the payouts are the reconciliation's two sides (null when the marketplace gives no figure):
/// the marketplace's own over the rows it sent, and the ledger's (its stored rows plus the rows that could not be
/// mapped, <see cref="UnmappedPayout"/>).
/// </summary>
public sealed record PullRunResult(
    string Status,
    int PagesRead,
    int RowsRead,
    int Inserted,
    int Updated,
    LocalText? Error,
    decimal? MarketplacePayout,
    decimal? LedgerPayout)
{
    public bool Succeeded => Status == PullRunStatus.Succeeded;

    /// <summary>Stored source rows the marketplace no longer sent for the window (dropped by its restatement), deleted.</summary>
    public int Dropped { get; init; }

    /// <summary>The part of <see cref="LedgerPayout"/> in source rows the mapping could not carry (gaps).</summary>
    public decimal? UnmappedPayout { get; init; }

    /// <summary>The reconciliation in words: matches, or differs by how much and in which orders and dates.</summary>
    public LocalText? Reconciliation { get; init; }

    /// <summary>The orders whose ledger differs from the marketplace (ledger minus marketplace), the largest first, at most 50.</summary>
    public IReadOnlyList<(string Order, decimal Difference)> DifferingOrders { get; init; } = [];

    /// <summary>The dates whose period rows differ (ledger minus marketplace), the largest first, at most 50.</summary>
    public IReadOnlyList<(DateOnly Date, decimal Difference)> DifferingDates { get; init; } = [];

    /// <summary>What the run should know besides its outcome: feeds that failed, rows that could not be mapped, the connector's notices.</summary>
    public IReadOnlyList<LocalText> Notices { get; init; } = [];

    /// <summary>Whether the ledger side equals the marketplace's (false too when either is unknown).</summary>
    public bool Reconciled => MarketplacePayout is { } m && LedgerPayout is { } l && m == l && DifferingOrders.Count == 0 && DifferingDates.Count == 0;
}
