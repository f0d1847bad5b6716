namespace SellerDesk.Data.Entities;

public sealed class Workspace
{
    public Guid Id { get; set; }

    public required string Name { get; set; }

    public string TimeZone { get; set; } = "Europe/Moscow";

    public string Currency { get; set; } = "RUB";

    /// <summary>Incremented by every write that changes this workspace's ledger.</summary>
    public long LedgerVersion { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

public sealed class ApiToken
{
    public Guid Id { get; set; }

    public Guid WorkspaceId { get; set; }

    /// <summary>SHA-256 of the token, hex; the token itself is never stored.</summary>
    public required string TokenHash { get; set; }

    public required string Role { get; set; }

    public required string Name { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }

    /// <summary>When a token made in the UI stops working; null for bootstrap tokens.</summary>
    public DateTimeOffset? ExpiresAt { get; set; }

    /// <summary>The user who made the token in the UI; null for bootstrap tokens.</summary>
    public Guid? CreatedBy { get; set; }
}

public sealed class SalesLineRow
{
    public Guid WorkspaceId { get; set; }

    public required string Marketplace { get; set; }

    public required string OrderId { get; set; }

    public required string LineId { get; set; }

    public DateTimeOffset OrderedAt { get; set; }

    public string? CustomerId { get; set; }

    public required string Channel { get; set; }

    public required string Sku { get; set; }

    public int Quantity { get; set; }

    public decimal Revenue { get; set; }

    public decimal Commission { get; set; }

    public decimal Logistics { get; set; }

    public decimal Acquiring { get; set; }

    public decimal OtherFees { get; set; }

    /// <summary>Who wrote the row: the connection whose pull did, or <see cref="LedgerSource.File"/> (nil) for files.</summary>
    public Guid Source { get; set; }

    /// <summary>The uploaded file that gave the row its values (migration 0022); null otherwise.</summary>
    public string? ImportFile { get; set; }

    /// <summary>The line of <see cref="ImportFile"/> the row's record starts on.</summary>
    public int? ImportLine { get; set; }

    /// <summary>The pull run that gave the row its values (migration 0022); null otherwise.</summary>
    public Guid? RunId { get; set; }
}

public sealed class ReturnRow
{
    public Guid WorkspaceId { get; set; }

    public required string Marketplace { get; set; }

    public required string OrderId { get; set; }

    public required string LineId { get; set; }

    public required string ReturnId { get; set; }

    public DateTimeOffset ReturnedAt { get; set; }

    public int Quantity { get; set; }

    public decimal Refund { get; set; }

    public decimal CommissionRefund { get; set; }

    public decimal ReturnLogistics { get; set; }

    public bool Restockable { get; set; }

    public string? Reason { get; set; }

    /// <summary>Who wrote the row: the connection whose pull did, or <see cref="LedgerSource.File"/> (nil) for files.</summary>
    public Guid Source { get; set; }

    /// <summary>The uploaded file that gave the row its values (migration 0022); null otherwise.</summary>
    public string? ImportFile { get; set; }

    /// <summary>The line of <see cref="ImportFile"/> the row's record starts on.</summary>
    public int? ImportLine { get; set; }

    /// <summary>The pull run that gave the row its values (migration 0022); null otherwise.</summary>
    public Guid? RunId { get; set; }
}

public sealed class AdSpendRow
{
    public Guid WorkspaceId { get; set; }

    public DateOnly Date { get; set; }

    public required string Marketplace { get; set; }

    public required string Channel { get; set; }

    public decimal Amount { get; set; }

    /// <summary>Who wrote the row: the connection whose pull did, or <see cref="LedgerSource.File"/> (nil) for files.</summary>
    public Guid Source { get; set; }
}

public sealed class PeriodFeeRow
{
    public Guid WorkspaceId { get; set; }

    public DateOnly Date { get; set; }

    public required string Marketplace { get; set; }

    public required string Kind { get; set; }

    public decimal Amount { get; set; }

    /// <summary>Who wrote the row: the connection whose pull did, or <see cref="LedgerSource.File"/> (nil) for files.</summary>
    public Guid Source { get; set; }
}

public sealed class UnitCostRow
{
    public Guid WorkspaceId { get; set; }

    public required string Sku { get; set; }

    public DateOnly ValidFrom { get; set; }

    public decimal UnitCost { get; set; }
}

public sealed class Connection
{
    public Guid Id { get; set; }

    public Guid WorkspaceId { get; set; }

    public required string Marketplace { get; set; }

    public required string Name { get; set; }

    /// <summary>Credentials JSON protected by Data Protection; unprotect only to pull.</summary>
    public required string ProtectedCredentials { get; set; }

    public string? BaseUrl { get; set; }

    /// <summary>new, healthy, needs_token, needs_update (a marketplace method the connector calls was switched off), failing.</summary>
    public string Status { get; set; } = "new";

    public string? LastError { get; set; }

    public string? ScheduleCron { get; set; }

    public int WindowDays { get; set; } = 14;

    public bool ScheduleEnabled { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>
    /// The marketplace account (cabinet) the credentials identify, when they say (WB token's seller id, Ozon client
    /// id, Yandex Market campaign id, sandbox seed): one account is connected once per workspace.
    /// </summary>
    public string? Account { get; set; }
}

public sealed class PullRun
{
    public Guid Id { get; set; }

    public Guid WorkspaceId { get; set; }

    /// <summary>The connection it pulled for; null once that connection is deleted (its runs stay).</summary>
    public Guid? ConnectionId { get; set; }

    /// <summary>The connection's name, kept for the history of a deleted connection.</summary>
    public string? ConnectionName { get; set; }

    /// <summary>The connection's marketplace, kept for the history of a deleted connection.</summary>
    public string? Marketplace { get; set; }

    /// <summary>schedule, manual, backfill.</summary>
    public required string Trigger { get; set; }

    /// <summary>queued, running, succeeded, failed.</summary>
    public required string Status { get; set; }

    public DateOnly PeriodFrom { get; set; }

    public DateOnly PeriodTo { get; set; }

    public int PagesRead { get; set; }

    public int RowsRead { get; set; }

    public int Inserted { get; set; }

    public int Updated { get; set; }

    public string? Error { get; set; }

    public decimal? MarketplacePayout { get; set; }

    public decimal? LedgerPayout { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>The fire time of the schedule slot this run served; null for runs started by hand or the API.</summary>
    public DateTimeOffset? ScheduledFor { get; set; }

    /// <summary>The scheduler instance (node) that carried the run out.</summary>
    public string? Node { get; set; }

    /// <summary>What the connector said the run should know, one notice per line.</summary>
    public string? Notices { get; set; }

    /// <summary>The reconciliation in words, both languages (encoded <c>LocalText</c>): matches, or differs by how much and where.</summary>
    public string? Reconciliation { get; set; }

    /// <summary>The part of the ledger side of the reconciliation that lies in rows the mapping could not carry (pull gaps).</summary>
    public decimal? UnmappedPayout { get; set; }
}

public sealed class DataProtectionKey
{
    public int Id { get; set; }

    public required string FriendlyName { get; set; }

    public required string Xml { get; set; }
}

/// <summary>
/// What one ledger version changed: <see cref="Scope"/> <c>orders</c> lists the (marketplace, order id) pairs it
/// rewrote whole, <c>all</c> means anything may have changed. Reports patch their cached facts from these.
/// </summary>
public sealed class LedgerChange
{
    public Guid WorkspaceId { get; set; }

    public long Version { get; set; }

    public required string Scope { get; set; }

    public string[]? Marketplaces { get; set; }

    public string[]? OrderIds { get; set; }

    public bool SpendOrFees { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>
/// The name a workspace gives a channel code (<c>blogger_anna</c> → "Blogger Anna, Instagram"), edited on the
/// channels page; codes without one are shown as they are.
/// </summary>
public sealed class ChannelName
{
    public Guid WorkspaceId { get; set; }

    public required string Channel { get; set; }

    public required string DisplayName { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>
/// Source money a pull's derivation could not put into the ledger: why, how much it moves the payout, and the raw
/// rows it came from. Current until its order (or, without one, its date) is derived again.
/// </summary>
public sealed class PullGap
{
    public Guid RunId { get; set; }

    public int Seq { get; set; }

    public Guid WorkspaceId { get; set; }

    public Guid? ConnectionId { get; set; }

    public string? OrderKey { get; set; }

    public DateOnly BusinessDate { get; set; }

    public required string Reason { get; set; }

    public decimal PayoutEffect { get; set; }

    public required string[] SourceIds { get; set; }

    /// <summary>The source rows' payloads as the marketplace sent them, in the order of <see cref="SourceIds"/>.</summary>
    public required string[] Payloads { get; set; }

    public bool IsCurrent { get; set; }
}
