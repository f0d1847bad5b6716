using SellerDesk.Data.Reports;
using SellerDesk.Data.Workspaces;
using SellerDesk.Domain.Reports;
using SellerDesk.Web.Features.Channels;
using SellerDesk.Web.Features.Workspace;

namespace SellerDesk.Web.Features.Common;

/// <summary>
/// What a report page works from: the workspace, the period asked for, the reports over it and the workspace's own
/// channel names.
/// </summary>
public sealed record LoadedReport(
    WorkspaceContext Workspace,
    PeriodSelection Selection,
    bool SelectionValid,
    DateOnly Today,
    UnitEconomicsReports Reports,
    IReadOnlyDictionary<string, string> ChannelNames);

/// <summary>
/// Loads the reports the browser pages show: the UI workspace, the period from the URL query (with its default),
/// then <see cref="ReportService"/>, the same service the API calls. Null when start-up has not created the
/// workspace yet. Each call opens its own short-lived database work; nothing is held per circuit.
/// </summary>
public sealed class ReportLoader(UiWorkspace workspaces, ReportService reports, ChannelNameService channelNames, TimeProvider clock)
{
    public async Task<LoadedReport?> LoadAsync(string? from, string? to, string? asOf, CancellationToken cancellationToken)
    {
        var workspace = await workspaces.GetAsync(cancellationToken);
        if (workspace is null)
        {
            return null;
        }

        var today = workspace.Today(clock);
        var selection = PeriodSelection.Resolve(from, to, asOf, today, out var valid);
        var loaded = await reports.LoadAsync(workspace, selection.ToRequest(), cancellationToken);
        var names = await channelNames.GetAsync(workspace.Id, cancellationToken);
        return new LoadedReport(workspace, selection, valid, today, loaded, names);
    }
}
