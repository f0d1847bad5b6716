namespace SellerDesk.Domain.Reports;

/// <summary>One marketplace's margin and gross revenue in one month.</summary>
public sealed record MonthlyMargin(string Marketplace, YearMonth Month, decimal ContributionMargin, decimal Revenue);
