using SellerDesk.Domain.Economics;

namespace SellerDesk.Domain.Tests.Economics;

/// <summary>
/// On random ledgers, the vector form of section 2 summed over an order's lines gives the plain per-order figures,
/// as of any date. Return loss shares sale fees by R/q: the vector holds each return's share divided out, so the two
/// agree to decimal precision (far below a kopeck), not digit for digit.
/// </summary>
public sealed class LineEconomicsPropertyTests
{
    private const decimal Precision = 0.000000000001m;

    public static TheoryData<int> Seeds => [1, 2, 3, 4, 5];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Summing_the_line_vectors_of_an_order_gives_its_plain_section_two_figures_as_of_any_date(int seed)
    {
        var ledger = RandomLedger.Generate(seed);
        var lines = LineFact.Build(ledger.Sales, ledger.Returns, ledger.Costs, RandomLedger.Moscow);
        var random = new Random(seed);

        for (var round = 0; round < 8; round++)
        {
            var asOf = RandomLedger.FirstDay.AddDays(random.Next(-5, 250));
            var expected = SectionTwoReference.Orders(ledger, asOf);
            var actual = lines
                .Where(l => l.OrderDate <= asOf)
                .GroupBy(l => (l.Marketplace, l.OrderId))
                .ToDictionary(g => g.Key, g => LineEconomics.Sum(g.Select(l => l.AsOf(asOf))));

            actual.Keys.Should().BeEquivalentTo(expected.Keys, $"as of {asOf}");
            foreach (var (key, figures) in expected)
            {
                var sum = actual[key];
                sum.Revenue.Should().Be(figures.Revenue);
                sum.NetRevenue.Should().Be(figures.NetRevenue, $"{key} as of {asOf}");
                sum.ContributionMargin.Should().Be(figures.ContributionMargin, $"{key} as of {asOf}");
                sum.ReturnLoss.Should().BeApproximately(figures.ReturnLoss, Precision, $"{key} as of {asOf}");
                sum.Units.Should().Be(figures.Units);
                sum.ReturnedUnits.Should().Be(figures.ReturnedUnits);
                sum.CogsMissingLines.Should().Be(figures.CogsMissingLines);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Section_two_figures_of_a_sum_of_lines_are_the_sums_of_their_figures(int seed)
    {
        var ledger = RandomLedger.Generate(seed);
        var asOf = RandomLedger.LastDay;
        var vectors = LineFact.Build(ledger.Sales, ledger.Returns, ledger.Costs, RandomLedger.Moscow).Select(l => l.AsOf(asOf)).ToList();

        var total = LineEconomics.Sum(vectors);

        total.ContributionMargin.Should().Be(vectors.Sum(v => v.ContributionMargin));
        total.NetRevenue.Should().Be(vectors.Sum(v => v.NetRevenue));
        total.Fees.Should().Be(vectors.Sum(v => v.Fees));
        total.NetCogs.Should().Be(vectors.Sum(v => v.NetCogs));
        total.ReturnLoss.Should().BeApproximately(vectors.Sum(v => v.ReturnLoss), Precision);
    }
}
