using SellerDesk.Data;
using SellerDesk.Data.Reports;
using SellerDesk.Ingestion.Connections;
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
    FactReports Reports,
    IReadOnlyDictionary<string, string> ChannelNames)
{
    /// <summary>The account the reports are filtered to (files or one connection); null for all accounts.</summary>
    public LedgerSource? Source { get; init; }

    /// <summary>The accounts the ledger's rows come from, per marketplace (what the account filter offers).</summary>
    public IReadOnlyList<LedgerAccount> Accounts { get; init; } = [];
}

/// <summary>
/// Loads the reports the browser pages show: the UI workspace, the period from the URL query (with its default),
/// then <see cref="ReportService"/>, the same service the API calls. Null when start-up has not created the
/// workspace yet. Each call opens its own short-lived database work; nothing is held per circuit.
/// </summary>
public sealed class ReportLoader(
    UiWorkspace workspaces, ReportService reports, ChannelNameService channelNames, ConnectionService connections, TimeProvider clock)
{
    /// <summary>
    /// The reports of the period in the query, of one account when <paramref name="source"/> names one (<c>file</c> or a
    /// connection id; anything else is taken as all accounts).
    /// </summary>
    public async Task<LoadedReport?> LoadAsync(string? from, string? to, string? asOf, string? source, CancellationToken cancellationToken)
    {
        var workspace = await workspaces.GetAsync(cancellationToken);
        if (workspace is null)
        {
            return null;
        }

        var today = workspace.Today(clock);
        var selection = PeriodSelection.Resolve(from, to, asOf, today, out var valid);
        LedgerSource? only = !string.IsNullOrWhiteSpace(source) && LedgerSource.TryParse(source, out var parsed) ? parsed : null;
        var loaded = await reports.LoadFactsAsync(workspace, selection.ToRequest() with { Source = only }, cancellationToken);
        var names = await channelNames.GetAsync(workspace.Id, cancellationToken);
        var accounts = await connections.LedgerAccountsAsync(workspace.Id, cancellationToken);
        return new LoadedReport(workspace, selection, valid, today, loaded, names) { Source = only, Accounts = accounts };
    }
}
