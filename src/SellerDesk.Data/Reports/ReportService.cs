using SellerDesk.Data.Workspaces;
using SellerDesk.Domain.Reports;

namespace SellerDesk.Data.Reports;

/// <summary>What a page or API call asks for: the period, with as_of defaulting to today in the workspace zone.</summary>
public sealed record ReportRequest(DateOnly From, DateOnly To, DateOnly? AsOf = null);

/// <summary>Builds the three reports of metrics.md for one workspace; pages and the API both call this.</summary>
public sealed class ReportService(ReportQueries queries, TimeProvider clock)
{
    public async Task<UnitEconomicsReports> LoadAsync(WorkspaceContext workspace, ReportRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        ArgumentNullException.ThrowIfNull(request);
        var period = new ReportPeriod(request.From, request.To, request.AsOf ?? workspace.Today(clock));
        var inputs = await queries.LoadInputsAsync(workspace.Id, workspace.TimeZone, period.AsOf, cancellationToken);
        return new UnitEconomicsReports(period, inputs);
    }
}
