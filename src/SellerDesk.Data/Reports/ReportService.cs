using System.Collections.Concurrent;
using SellerDesk.Data.Workspaces;
using SellerDesk.Domain.Reports;

namespace SellerDesk.Data.Reports;

/// <summary>What a page or API call asks for: the period, with as_of defaulting to today in the workspace zone.</summary>
public sealed record ReportRequest(DateOnly From, DateOnly To, DateOnly? AsOf = null);

/// <summary>
/// Builds the three reports of metrics.md for one workspace; pages and the API both call this. The aggregates a report
/// reads depend only on the ledger and as_of, not on from/to, so they are kept per (workspace, as_of) while the
/// ledger version they were read at is current: any write to the ledger makes the next report read them afresh.
/// </summary>
public sealed class ReportService(ReportQueries queries, TimeProvider clock)
{
    private const int MaxCachedInputs = 32;
    private readonly ConcurrentDictionary<(Guid Workspace, string Zone, DateOnly AsOf), (long Version, ReportInputs Inputs)> _inputs = new();

    public async Task<UnitEconomicsReports> LoadAsync(WorkspaceContext workspace, ReportRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        ArgumentNullException.ThrowIfNull(request);
        var period = new ReportPeriod(request.From, request.To, request.AsOf ?? workspace.Today(clock));
        var key = (workspace.Id, workspace.TimeZone, period.AsOf);
        var version = await queries.LedgerVersionAsync(workspace.Id, cancellationToken);
        if (!_inputs.TryGetValue(key, out var cached) || cached.Version != version)
        {
            cached = (version, await queries.LoadInputsAsync(workspace.Id, workspace.TimeZone, period.AsOf, cancellationToken));
            if (_inputs.Count >= MaxCachedInputs)
            {
                _inputs.Clear();
            }

            _inputs[key] = cached;
        }

        return new UnitEconomicsReports(period, cached.Inputs);
    }
}
