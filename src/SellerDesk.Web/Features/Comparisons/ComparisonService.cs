using SellerDesk.Data;
using SellerDesk.Data.Reports;
using SellerDesk.Data.Workspaces;
using SellerDesk.Domain.Reports;

namespace SellerDesk.Web.Features.Comparisons;

/// <summary>The reports of a compared period: null when there is no such period (it would start after as_of).</summary>
public sealed record Comparison(ComparisonKind Kind, ReportPeriod? Period, FactReports? Reports)
{
    /// <summary>Whether the compared period holds anything to compare with: at least one marketplace row (4.2).</summary>
    public bool HasData => Reports is not null && Reports.Marketplaces().Count > 0;
}

/// <summary>A report with the reports of its previous period and of the same dates a year earlier.</summary>
public sealed record ComparedReports(FactReports Current, Comparison Previous, Comparison YearAgo)
{
    public Comparison Of(ComparisonKind kind) => kind == ComparisonKind.Previous ? Previous : YearAgo;
}

/// <summary>
/// Runs the report the page shows over the periods it is compared with (<see cref="ComparisonPeriods"/>, decision
/// 0029): the same <see cref="ReportService.LoadFactsAsync"/>, with the same account filter, so a compared figure is
/// the figure the page would show for that period at that as_of. The reads are of the stored rollups.
/// </summary>
public sealed class ComparisonService(ReportService reports)
{
    /// <summary>The report with its previous period and, a year earlier, the same dates.</summary>
    public async Task<ComparedReports> CompareAsync(WorkspaceContext workspace, LedgerSource? source, FactReports current, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(current);
        var previous = LoadAsync(workspace, source, ComparisonPeriods.Of(current.Period, ComparisonKind.Previous), cancellationToken);
        var yearAgo = LoadAsync(workspace, source, ComparisonPeriods.Of(current.Period, ComparisonKind.YearAgo), cancellationToken);
        return new ComparedReports(
            current,
            new Comparison(ComparisonKind.Previous, ComparisonPeriods.Of(current.Period, ComparisonKind.Previous), await previous),
            new Comparison(ComparisonKind.YearAgo, ComparisonPeriods.Of(current.Period, ComparisonKind.YearAgo), await yearAgo));
    }

    /// <summary>A period's report (a tile's), compared likewise.</summary>
    public async Task<ComparedReports> LoadAndCompareAsync(WorkspaceContext workspace, LedgerSource? source, ReportPeriod period, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(period);
        var current = await LoadAsync(workspace, source, period, cancellationToken);
        return await CompareAsync(workspace, source, current!, cancellationToken);
    }

    private async Task<FactReports?> LoadAsync(WorkspaceContext workspace, LedgerSource? source, ReportPeriod? period, CancellationToken cancellationToken) =>
        period is null
            ? null
            : await reports.LoadFactsAsync(workspace, new ReportRequest(period.From, period.To, period.AsOf) { Source = source }, cancellationToken);
}
