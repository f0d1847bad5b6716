namespace SellerDesk.Domain.Reports;

/// <summary>
/// A report's dates (metrics.md section 4): <c>from</c> and <c>to</c> inclusive, and <c>as_of</c>,
/// after which nothing exists. All are local dates in the workspace zone.
/// </summary>
public sealed record ReportPeriod
{
    public ReportPeriod(DateOnly from, DateOnly to, DateOnly asOf)
    {
        if (to < from)
        {
            throw new ArgumentException($"The period ends ({to:yyyy-MM-dd}) before it starts ({from:yyyy-MM-dd}).", nameof(to));
        }

        From = from;
        To = to;
        AsOf = asOf;
    }

    public DateOnly From { get; }

    public DateOnly To { get; }

    public DateOnly AsOf { get; }

    /// <summary>"In range": <c>from &lt;= date &lt;= to</c> and <c>date &lt;= as_of</c>.</summary>
    public bool InRange(DateOnly date) => date >= From && date <= To && date <= AsOf;

    /// <summary>Whether the date exists at all for this report.</summary>
    public bool Exists(DateOnly date) => date <= AsOf;
}
