namespace SellerDesk.Domain.Reports;

/// <summary>Output rounding (metrics.md section 4): half away from zero, money to 2 places, ratios to 4.</summary>
public static class Rounding
{
    public static decimal Money(decimal value) => Math.Round(value, 2, MidpointRounding.AwayFromZero);

    public static decimal? Money(decimal? value) => value is { } v ? Money(v) : null;

    public static decimal Ratio(decimal value) => Math.Round(value, 4, MidpointRounding.AwayFromZero);

    public static decimal? Ratio(decimal? value) => value is { } v ? Ratio(v) : null;

    /// <summary>Division that is null when the divisor is zero.</summary>
    public static decimal? Divide(decimal numerator, decimal denominator) =>
        denominator == 0 ? null : numerator / denominator;
}
