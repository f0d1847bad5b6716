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
/// Builds the three reports of metrics.md for one workspace; pages and the API both call this. The report inputs are
/// sums of the order facts the ledger's writers keep in PostgreSQL (decision 0014), read with as_of as a filter; they
/// depend only on the ledger and as_of, not on from/to. The few thousand summed rows of a (workspace, zone, as_of,
/// source) are kept with the ledger version they were read at, and requests of the same key and version arriving at
/// once share one read. Nothing of the ledger itself is held in memory: every node reads the same stored facts, so a
/// write on any node is in the next report of every node.
/// </summary>
public sealed class ReportService(ReportQueries queries, TimeProvider clock)
{
    private const int MaxCachedInputs = 64;

    private readonly ConcurrentDictionary<(Guid Workspace, string Zone, DateOnly AsOf, LedgerSource? Source), (long Version, Lazy<Task<ReportInputs>> Inputs)> _inputs = new();

    private readonly ConcurrentDictionary<(Guid Workspace, string Zone, LedgerSource? Source), (long Version, Lazy<Task<LedgerFacts>> Facts)> _facts = new();

    /// <summary>
    /// The reports of metrics.md section 4 (channels with channel revenue, marketplaces with concentration, cohorts,
    /// SKUs, P&amp;L) for one request: the domain's <see cref="EconomicsFacts"/> of the workspace's ledger (of one
    /// source when the request names it), summed by <see cref="ReportSums.Of"/> for the period. Period, as_of and
    /// source mean what they mean for <see cref="LoadAsync"/>.
    /// </summary>
    public async Task<FactReports> LoadFactsAsync(WorkspaceContext workspace, ReportRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        ArgumentNullException.ThrowIfNull(request);
        var period = new ReportPeriod(request.From, request.To, request.AsOf ?? workspace.Today(clock));
        var key = (workspace.Id, workspace.TimeZone, request.Source);
        var version = await queries.LedgerVersionAsync(workspace.Id, cancellationToken);
        var entry = _facts.AddOrUpdate(
            key,
            _ => (version, Read()),
            (_, held) => held.Version == version && !held.Facts.Value.IsFaulted && !held.Facts.Value.IsCanceled ? held : (version, Read()));
        if (_facts.Count > MaxCachedInputs)
        {
            foreach (var stale in _facts.Keys.Where(k => k != key).Take(_facts.Count - MaxCachedInputs))
            {
                _facts.TryRemove(stale, out _);
            }
        }

        var facts = await entry.Facts.Value.WaitAsync(cancellationToken);
        return new FactReports(ReportSums.Of(period, facts.Economics, facts.Spend, facts.Fees));

        Lazy<Task<LedgerFacts>> Read() => new(async () =>
        {
            var rows = await queries.LoadLedgerAsync(workspace.Id, request.Source, CancellationToken.None);
            var economics = EconomicsFacts.Build(rows.Sales, rows.Returns, rows.Costs, rows.Attribution, workspace.Zone);
            return new LedgerFacts(economics, rows.Spend, rows.Fees);
        });
    }

    private sealed record LedgerFacts(EconomicsFacts Economics, IReadOnlyList<AdSpend> Spend, IReadOnlyList<PeriodFee> Fees);

    public async Task<UnitEconomicsReports> LoadAsync(WorkspaceContext workspace, ReportRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        ArgumentNullException.ThrowIfNull(request);
        var period = new ReportPeriod(request.From, request.To, request.AsOf ?? workspace.Today(clock));
        var key = (workspace.Id, workspace.TimeZone, period.AsOf, request.Source);

        // The version is read before the sums: rows written meanwhile are at worst read under the older version (and
        // read again by the next request), never missed.
        var version = await queries.LedgerVersionAsync(workspace.Id, cancellationToken);
        var entry = _inputs.AddOrUpdate(
            key,
            _ => (version, Read()),
            (_, held) => held.Version == version && !held.Inputs.Value.IsFaulted && !held.Inputs.Value.IsCanceled ? held : (version, Read()));
        if (_inputs.Count > MaxCachedInputs)
        {
            foreach (var stale in _inputs.Keys.Where(k => k != key).Take(_inputs.Count - MaxCachedInputs))
            {
                _inputs.TryRemove(stale, out _);
            }
        }

        var inputs = await entry.Inputs.Value.WaitAsync(cancellationToken);
        return new UnitEconomicsReports(period, inputs);

        // Not tied to one caller's cancellation: others may be waiting for the same read.
        Lazy<Task<ReportInputs>> Read() => new(() => queries.LoadInputsOfSourceAsync(workspace.Id, workspace.TimeZone, period.AsOf, request.Source, CancellationToken.None));
    }
}
