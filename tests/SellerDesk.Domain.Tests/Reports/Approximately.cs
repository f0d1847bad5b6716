using FluentAssertions.Equivalency;

namespace SellerDesk.Domain.Tests.Reports;

/// <summary>
/// Equivalence of report rows up to decimal precision: sums of the same vectors grouped differently may differ in the
/// 26th digit where a return's share of fees was divided out (R/q), and ratios carry that on. A kopeck is 10 orders of
/// magnitude away.
/// </summary>
internal static class Approximately
{
    public const decimal Precision = 0.000000000001m;

    public static EquivalencyAssertionOptions<T> Decimals<T>(EquivalencyAssertionOptions<T> options) =>
        options
            .WithStrictOrdering()
            .ComparingRecordsByMembers()
            .Using<decimal>(c => c.Subject.Should().BeApproximately(c.Expectation, Precision))
            .WhenTypeIs<decimal>()
            .Using<decimal?>(c =>
            {
                if (c.Expectation is { } expected)
                {
                    c.Subject.Should().BeApproximately(expected, Precision);
                }
                else
                {
                    c.Subject.Should().BeNull();
                }
            })
            .WhenTypeIs<decimal?>();
}
