using SellerDesk.Domain.Reports;

namespace SellerDesk.Web.Features.Comparisons;

/// <summary>How a compared figure is written: money, a share (its change in percentage points) or a count.</summary>
public enum ChangeFormat
{
    Money,
    Share,
    Count,
}

/// <summary>
/// One figure against a compared period: both values exact (round only on screen). <see cref="HasData"/> is false
/// when the compared period has nothing at all, which the page says in words rather than as 0 % or −100 %.
/// </summary>
/// <param name="Kind">Previous period or a year earlier.</param>
/// <param name="Period">The compared dates; null when there are none.</param>
/// <param name="HasData">Whether the compared period holds anything.</param>
/// <param name="Current">The figure now (null where the report has none, such as CAC without new customers).</param>
/// <param name="Before">The figure then.</param>
/// <param name="Format">How to write it.</param>
/// <param name="HigherIsBetter">Whether a rise is good news (true), bad news (false) or neither (null).</param>
public sealed record MetricChange(ComparisonKind Kind, ReportPeriod? Period, bool HasData, decimal? Current, decimal? Before, ChangeFormat Format, bool? HigherIsBetter)
{
    /// <summary>Now minus then; null when either is missing.</summary>
    public decimal? Difference => HasData && Current is { } now && Before is { } then ? now - then : null;

    /// <summary>The change as a share of the earlier value's size; null for shares (their change is in points) and from zero.</summary>
    public decimal? Relative => Format != ChangeFormat.Share && Difference is { } d && Before is { } then && then != 0 ? d / Math.Abs(then) : null;

    /// <summary><c>positive</c>, <c>negative</c> or null: whether the change is good or bad news.</summary>
    public string? Tone => (Difference, HigherIsBetter) switch
    {
        (null, _) or (_, null) => null,
        ({ } d, _) when IsZero(d) => null,
        ({ } d, { } higher) => (d > 0) == higher ? "positive" : "negative",
    };

    /// <summary>Whether the change rounds to nothing as written (kopecks, or a hundredth of a percentage point).</summary>
    public bool IsZero(decimal difference) => Format == ChangeFormat.Share ? Rounding.Ratio(difference) == 0 : Rounding.Money(difference) == 0;
}

/// <summary>A figure a page compares: its code, how it is written, and how the report gives it.</summary>
public sealed record ComparedKpi(string Code, ChangeFormat Format, bool? HigherIsBetter, Func<FactReports, decimal?> Value)
{
    /// <summary>The figure against each compared period, previous first.</summary>
    public IReadOnlyList<MetricChange> Changes(ComparedReports compared)
    {
        ArgumentNullException.ThrowIfNull(compared);
        var now = Value(compared.Current);
        return [Change(compared.Previous, now), Change(compared.YearAgo, now)];
    }

    private MetricChange Change(Comparison comparison, decimal? now) =>
        new(comparison.Kind, comparison.Period, comparison.HasData, now, comparison.HasData ? Value(comparison.Reports!) : null, Format, HigherIsBetter);
}

/// <summary>A figure of a <see cref="ComparisonStrip"/>: what it is, and its label, definition and icon on screen.</summary>
public sealed record StripKpi(ComparedKpi Kpi, string Label, string? Help, string Icon);
