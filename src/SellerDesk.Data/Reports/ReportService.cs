using System.Collections.Concurrent;
using SellerDesk.Data.Workspaces;
using SellerDesk.Domain.Economics;
using SellerDesk.Domain.Ledger;
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
/// Builds the reports of metrics.md for one workspace; pages and the API both call this. The whole workspace's reports
/// are sums of the facts the ledger's writers keep in PostgreSQL (migration 0017), read for one period; the sums of a
/// (workspace, zone, period) are kept with the ledger version they were read at, and requests of the same key and
/// version arriving at once share one read. What is kept is the <see cref="FactReports"/> over them, so the rows of
/// each report are also computed once per key and version, however many requests ask for them. Every node reads the
/// same stored facts, so a write on any node is in the next report of every node.
/// </summary>
public sealed class ReportService(ReportQueries queries, TimeProvider clock)
{
    private const int MaxCachedInputs = 64;

    private readonly ConcurrentDictionary<(Guid Workspace, string Zone, LedgerSource? Source), (long Version, Lazy<Task<LedgerFacts>> Facts)> _facts = new();

    private readonly ConcurrentDictionary<(Guid Workspace, string Zone, DateOnly From, DateOnly To, DateOnly AsOf), (long Version, Lazy<Task<FactReports>> Reports)> _reports = new();

    /// <summary>
    /// The reports of metrics.md section 4 (channels with channel revenue, marketplaces with concentration, cohorts,
    /// SKUs, P&amp;L) for one request: the period from/to, as_of (default: today in the workspace zone) and the
    /// source (<see cref="ReportRequest.Source"/>).
    /// The whole workspace's reports sum the facts the ledger's writers store (migration 0017:
    /// <see cref="ReportQueries.LoadSumsAsync"/>); requests of one period and ledger version arriving at once share
    /// one read. One source's customers are not those of the whole workspace (a buyer's first order may be another
    /// source's), so a source's reports compute the domain's <see cref="EconomicsFacts"/> of that source's rows.
    /// </summary>
    public async Task<FactReports> LoadFactsAsync(WorkspaceContext workspace, ReportRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        ArgumentNullException.ThrowIfNull(request);
        var period = new ReportPeriod(request.From, request.To, request.AsOf ?? workspace.Today(clock));
        var version = await queries.LedgerVersionAsync(workspace.Id, cancellationToken);
        if (request.Source is null)
        {
            var sumsKey = (workspace.Id, workspace.TimeZone, period.From, period.To, period.AsOf);
            var held = Share(_reports, sumsKey, version, async () => new FactReports(await queries.LoadSumsAsync(workspace.Id, period, CancellationToken.None)));
            return await held.WaitAsync(cancellationToken);
        }

        var facts = await SourceFactsAsync(workspace, request.Source.Value, version, cancellationToken);
        return new FactReports(ReportSums.Of(period, facts.Economics, facts.Spend, facts.Fees));
    }

    /// <summary>
    /// LTV by first SKU (decision 0029): the cohorts of 4.3 for the request and <paramref name="filter"/>, split by the
    /// SKU that led each customer's first order. The whole workspace's read the stored facts; a source's compute them
    /// from its rows, as <see cref="LoadFactsAsync"/> does.
    /// </summary>
    public async Task<IReadOnlyList<FirstSkuCohortRow>> LoadFirstSkuCohortsAsync(
        WorkspaceContext workspace, ReportRequest request, CohortFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        ArgumentNullException.ThrowIfNull(request);
        var period = new ReportPeriod(request.From, request.To, request.AsOf ?? workspace.Today(clock));
        if (request.Source is null)
        {
            return await queries.LoadFirstSkuCohortsAsync(workspace.Id, period, filter, cancellationToken);
        }

        var version = await queries.LedgerVersionAsync(workspace.Id, cancellationToken);
        var facts = await SourceFactsAsync(workspace, request.Source.Value, version, cancellationToken);
        return FirstSkuCohortReport.Of(period, facts.Economics, filter);
    }

    /// <summary>
    /// The domain facts a source's reports sum (its lines, and its customers as a workspace holding only its rows would
    /// have them): what a drill-down with an account filter selects and sums, so that it equals the filtered reports.
    /// </summary>
    public async Task<EconomicsFacts> SourceEconomicsAsync(WorkspaceContext workspace, LedgerSource source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        var version = await queries.LedgerVersionAsync(workspace.Id, cancellationToken);
        return (await SourceFactsAsync(workspace, source, version, cancellationToken)).Economics;
    }

    /// <summary>One source's domain facts at the ledger version, computed once per version and shared.</summary>
    private Task<LedgerFacts> SourceFactsAsync(WorkspaceContext workspace, LedgerSource source, long version, CancellationToken cancellationToken) =>
        Share(_facts, (workspace.Id, workspace.TimeZone, (LedgerSource?)source), version, async () =>
        {
            var rows = await queries.LoadLedgerAsync(workspace.Id, source, CancellationToken.None);
            var economics = EconomicsFacts.Build(rows.Sales, rows.Returns, rows.Costs, rows.Attribution, workspace.Zone);
            return new LedgerFacts(economics, rows.Spend, rows.Fees);
        }).WaitAsync(cancellationToken);

    /// <summary>
    /// The read of <paramref name="key"/> at <paramref name="version"/>: the one under way or done, or a new one. Not
    /// tied to one caller's cancellation: others may be waiting for the same read. The version is read before the
    /// rows: rows written meanwhile are at worst read under the older version (and read again next time), never missed.
    /// </summary>
    private static Task<T> Share<TKey, T>(ConcurrentDictionary<TKey, (long Version, Lazy<Task<T>> Value)> cache, TKey key, long version, Func<Task<T>> read)
        where TKey : notnull
    {
        var entry = cache.AddOrUpdate(
            key,
            _ => (version, new Lazy<Task<T>>(read)),
            (_, held) => held.Version == version && !held.Value.Value.IsFaulted && !held.Value.Value.IsCanceled ? held : (version, new Lazy<Task<T>>(read)));
        if (cache.Count > MaxCachedInputs)
        {
            foreach (var stale in cache.Keys.Where(k => !EqualityComparer<TKey>.Default.Equals(k, key)).Take(cache.Count - MaxCachedInputs))
            {
                cache.TryRemove(stale, out _);
            }
        }

        return entry.Value.Value;
    }

    private sealed record LedgerFacts(EconomicsFacts Economics, IReadOnlyList<AdSpend> Spend, IReadOnlyList<PeriodFee> Fees);
}
