using System.Collections.Concurrent;
using SellerDesk.Data.Workspaces;
using SellerDesk.Domain.Reports;

namespace SellerDesk.Data.Reports;

/// <summary>What a page or API call asks for: the period, with as_of defaulting to today in the workspace zone.</summary>
public sealed record ReportRequest(DateOnly From, DateOnly To, DateOnly? AsOf = null)
{
    /// <summary>
    /// Only the rows of this source (one connection: an account of a marketplace; or files), as a workspace holding
    /// only them would show; null: the whole ledger (decision 0010).
    /// </summary>
    public LedgerSource? Source { get; init; }
}

/// <summary>
/// Builds the three reports of metrics.md for one workspace; pages and the API both call this. The aggregates a report
/// reads depend only on the ledger and as_of, not on from/to, so they are kept per (workspace, as_of) while the
/// ledger version they were read at is current.
/// As of today (what dashboards show) they are kept as per-order facts (<see cref="LedgerFacts"/>): when the ledger
/// moves on by writes of whole orders (pulls), only those orders are read again and their customers' sums patched
/// (docs/decisions/0009-report-freshness.md); after a file import, a cost change or a gap in the change log they are
/// read afresh. Other as_of dates read the aggregates afresh after any write.
/// </summary>
public sealed class ReportService(ReportQueries queries, TimeProvider clock)
{
    private const int MaxCachedInputs = 32;

    /// <summary>Changed orders re-read and patched at a time when the facts are refreshed.</summary>
    public int RefreshPartOrders
    {
        get => _refreshPartOrders;
        init => _refreshPartOrders = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "At least one order.");
    }

    private readonly int _refreshPartOrders = 10_000;
    private readonly ConcurrentDictionary<(Guid Workspace, string Zone, DateOnly AsOf, LedgerSource? Source), (long Version, ReportInputs Inputs)> _inputs = new();
    private readonly ConcurrentDictionary<(Guid Workspace, string Zone), FactsEntry> _facts = new();

    public async Task<UnitEconomicsReports> LoadAsync(WorkspaceContext workspace, ReportRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        ArgumentNullException.ThrowIfNull(request);
        var today = workspace.Today(clock);
        var period = new ReportPeriod(request.From, request.To, request.AsOf ?? today);
        if (period.AsOf == today && request.Source is null)
        {
            return new UnitEconomicsReports(period, await CurrentFactsAsync(workspace, today, create: true, cancellationToken) ?? throw new InvalidOperationException());
        }

        // Other as_of dates, and reports of one source, read the aggregates afresh after any write.
        var key = (workspace.Id, workspace.TimeZone, period.AsOf, request.Source);
        var version = await queries.LedgerVersionAsync(workspace.Id, cancellationToken);
        if (!_inputs.TryGetValue(key, out var cached) || cached.Version != version)
        {
            cached = (version, await queries.LoadInputsOfSourceAsync(workspace.Id, workspace.TimeZone, period.AsOf, request.Source, cancellationToken));
            if (_inputs.Count >= MaxCachedInputs)
            {
                _inputs.Clear();
            }

            _inputs[key] = cached;
        }

        return new UnitEconomicsReports(period, cached.Inputs);
    }

    /// <summary>
    /// Brings today's cached facts of the workspace up to the ledger's current version, if this node holds them
    /// (a pull calls this when it finishes, so the next page shows its rows without waiting). Returns how it went.
    /// </summary>
    public async Task<FactsRefresh> RefreshAsync(WorkspaceContext workspace, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        if (!_facts.TryGetValue((workspace.Id, workspace.TimeZone), out var entry))
        {
            return FactsRefresh.NotCached;
        }

        await CurrentFactsAsync(workspace, workspace.Today(clock), create: false, cancellationToken);
        return entry.LastRefresh ?? FactsRefresh.NotCached;
    }

    private async Task<ReportInputs?> CurrentFactsAsync(WorkspaceContext workspace, DateOnly today, bool create, CancellationToken cancellationToken)
    {
        var key = (workspace.Id, workspace.TimeZone);
        if (!_facts.TryGetValue(key, out var entry))
        {
            if (!create)
            {
                return null;
            }

            entry = _facts.GetOrAdd(key, _ => new FactsEntry());
        }

        await entry.Lock.WaitAsync(cancellationToken);
        try
        {
            // The version is read before the data: rows written meanwhile are at worst read twice, never missed.
            var version = await queries.LedgerVersionAsync(workspace.Id, cancellationToken);
            if (entry.Facts is { } facts && facts.AsOf == today && entry.Version == version)
            {
                return facts.Inputs;
            }

            var changes = entry.Facts is { } held && held.AsOf == today && version > entry.Version
                ? await queries.ChangesAsync(workspace.Id, entry.Version, version, cancellationToken)
                : null;
            if (changes is not null && changes.Orders > 0 && changes.Orders >= entry.Facts!.OrderCount)
            {
                // Patching would re-read at least as many orders as the ledger holds (a first pull into a new
                // workspace): reading them all at once is cheaper.
                changes = null;
            }
            if (changes is not null && entry.Facts is { } current)
            {
                // A part of the changed orders at a time, so a big pull's refresh needs no more memory than a small
                // one's: each part leaves the facts consistent (its orders re-read, their customers re-summed), and
                // an order that comes twice is simply re-read twice. Should this stop half-way, the version stays and
                // the next refresh applies every change again, which ends in the same facts.
                var read = 0;
                await foreach (var part in queries.ChangedOrdersAsync(workspace.Id, entry.Version, version, RefreshPartOrders, cancellationToken))
                {
                    var reloaded = await queries.LoadOrderFactsAsync(workspace.Id, workspace.TimeZone, today, part, cancellationToken);
                    current.Apply(part, reloaded);
                    read += part.Count;
                }

                if (changes.SpendOrFees)
                {
                    var (spend, fees) = await queries.LoadSpendAndFeesAsync(workspace.Id, today, cancellationToken);
                    current.Apply([], [], spend, fees);
                }

                entry.LastRefresh = new FactsRefresh(FactsRefreshKind.Patched, read);
            }
            else
            {
                var orders = await queries.LoadOrderFactsAsync(workspace.Id, workspace.TimeZone, today, null, cancellationToken);
                var (spend, fees) = await queries.LoadSpendAndFeesAsync(workspace.Id, today, cancellationToken);
                entry.Facts = LedgerFacts.Build(today, orders, spend, fees);
                entry.LastRefresh = new FactsRefresh(FactsRefreshKind.Reloaded, orders.Count);
            }

            entry.Version = version;
            return entry.Facts.Inputs;
        }
        finally
        {
            entry.Lock.Release();
        }
    }

    private sealed class FactsEntry
    {
        public SemaphoreSlim Lock { get; } = new(1, 1);

        public LedgerFacts? Facts { get; set; }

        public long Version { get; set; } = -1;

        public FactsRefresh? LastRefresh { get; set; }
    }
}

/// <summary>How cached facts were last brought up to date: patched (orders re-read) or reloaded whole.</summary>
public enum FactsRefreshKind
{
    NotCached,
    Patched,
    Reloaded,
}

/// <summary>The last refresh of a workspace's cached facts and how many orders it read.</summary>
public sealed record FactsRefresh(FactsRefreshKind Kind, int OrdersRead)
{
    public static FactsRefresh NotCached { get; } = new(FactsRefreshKind.NotCached, 0);
}
