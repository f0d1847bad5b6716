using Npgsql;
using SellerDesk.Data.Ledger;
using SellerDesk.Data.Reports;
using SellerDesk.Data.Workspaces;
using SellerDesk.Domain.Economics;
using SellerDesk.Domain.Reports;
using SellerDesk.Domain.Tests;
using SellerDesk.Ingestion.Files;
using SellerDesk.Testing;
using SellerDesk.Web.Features.Comparisons;

namespace SellerDesk.Integration.Tests.Features;

/// <summary>
/// <see cref="ComparisonService"/> over random ledgers in PostgreSQL (two years: a random half year and the same
/// ledger a year later): every compared figure of Overview, the marketplaces, Channels and SKUs equals the figure of
/// the report run on the other period, here computed by the domain in memory from the ledger itself
/// (<see cref="ReportSums.Of"/>); a compared period without data says so instead of giving a number.
/// </summary>
public sealed class ComparisonsOverPostgresTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Theory]
    [InlineData(5)]
    [InlineData(23)]
    public async Task Every_compared_figure_equals_the_report_run_on_the_other_period(int seed)
    {
        var ledger = TwoYears(seed);
        var workspace = await NewWorkspaceAsync(ledger);
        var facts = EconomicsFacts.Build(ledger.Sales, ledger.Returns, ledger.Costs, [], RandomLedger.Moscow);
        var service = new ReportService(new ReportQueries(database.DataSource), TimeProvider.System);
        var comparisons = new ComparisonService(service);
        var random = new Random(seed);
        var secondYear = RandomLedger.FirstDay.AddYears(1);
        List<ReportPeriod> periods =
        [
            new(secondYear.AddDays(40), secondYear.AddDays(69), secondYear.AddDays(69)),
            new(secondYear.AddDays(10), secondYear.AddDays(100), secondYear.AddDays(75)),
            new(secondYear.AddDays(120), secondYear.AddDays(126), secondYear.AddDays(150)),
            .. Enumerable.Range(0, 3).Select(_ => Shift(RandomLedger.Period(random))),
        ];
        var checkedFigures = 0;
        foreach (var period in periods)
        {
            var current = await service.LoadFactsAsync(workspace, new ReportRequest(period.From, period.To, period.AsOf));
            var compared = await comparisons.CompareAsync(workspace, null, current, CancellationToken.None);

            foreach (var kind in new[] { ComparisonKind.Previous, ComparisonKind.YearAgo })
            {
                var other = ComparisonPeriods.Of(period, kind);
                compared.Of(kind).Period.Should().Be(other);
                if (other is null)
                {
                    // The period starts after as_of: nothing exists, so there is nothing to compare.
                    compared.Of(kind).HasData.Should().BeFalse();
                    continue;
                }

                var expected = new FactReports(ReportSums.Of(other, facts, ledger.Spend, ledger.Fees));
                compared.Of(kind).HasData.Should().Be(expected.Marketplaces().Count > 0);
                var marketplaces = expected.Marketplaces().Select(m => m.Marketplace).Concat(current.Marketplaces().Select(m => m.Marketplace)).Distinct();
                var kpis = ComparedKpis.Overview(null)
                    .Concat(ComparedKpis.Channels())
                    .Concat(ComparedKpis.Skus(null))
                    .Concat(ComparedKpis.Skus("ozon"))
                    .Concat(marketplaces.SelectMany(ComparedKpis.Marketplace));
                foreach (var kpi in kpis)
                {
                    var change = kpi.Changes(compared).Single(c => c.Kind == kind);
                    var because = $"{kind} of {period.From:yyyy-MM-dd}..{period.To:yyyy-MM-dd} as of {period.AsOf:yyyy-MM-dd}: {kpi.Code}";
                    Rounded(change.Current, kpi.Format).Should().Be(Rounded(kpi.Value(new FactReports(ReportSums.Of(period, facts, ledger.Spend, ledger.Fees))), kpi.Format), because + " now");
                    if (compared.Of(kind).HasData)
                    {
                        Rounded(change.Before, kpi.Format).Should().Be(Rounded(kpi.Value(expected), kpi.Format), because + " before");
                        checkedFigures++;
                    }
                    else
                    {
                        change.Before.Should().BeNull(because);
                        change.Difference.Should().BeNull(because + ": no data is not a change");
                    }
                }
            }
        }

        checkedFigures.Should().BeGreaterThan(100, "most compared periods hold data");
    }

    [Fact]
    public async Task A_period_whose_year_ago_holds_nothing_says_there_is_no_data()
    {
        var ledger = TwoYears(3);
        var workspace = await NewWorkspaceAsync(ledger);
        var service = new ReportService(new ReportQueries(database.DataSource), TimeProvider.System);
        var first = new ReportPeriod(RandomLedger.FirstDay.AddDays(30), RandomLedger.FirstDay.AddDays(59), RandomLedger.FirstDay.AddDays(59));

        var current = await service.LoadFactsAsync(workspace, new ReportRequest(first.From, first.To, first.AsOf));
        var compared = await new ComparisonService(service).CompareAsync(workspace, null, current, CancellationToken.None);

        compared.Previous.HasData.Should().BeTrue();
        compared.YearAgo.HasData.Should().BeFalse("the ledger starts less than a year before");
        var revenue = ComparedKpis.Overview(null).Single(k => k.Code == "revenue").Changes(compared);
        revenue[0].Difference.Should().NotBeNull();
        revenue[1].HasData.Should().BeFalse();
        revenue[1].Relative.Should().BeNull("no data is not −100 %");
    }

    /// <summary>The same period a year later (in the ledger's second year).</summary>
    private static ReportPeriod Shift(ReportPeriod period) => new(period.From.AddYears(1), period.To.AddYears(1), period.AsOf.AddYears(1));

    private static decimal? Rounded(decimal? value, ChangeFormat format) =>
        value is not { } v ? null : format == ChangeFormat.Share ? Rounding.Ratio(v) : Rounding.Money(v);

    /// <summary>A random half year, and the same orders, returns, spend and fees a year later under other order ids.</summary>
    private static RandomLedger TwoYears(int seed)
    {
        var ledger = RandomLedger.Generate(seed);
        return ledger with
        {
            Sales = [.. ledger.Sales, .. ledger.Sales.Select(s => s with { OrderId = s.OrderId + "-y", OrderedAt = s.OrderedAt.AddYears(1) })],
            Returns = [.. ledger.Returns, .. ledger.Returns.Select(r => r with { OrderId = r.OrderId + "-y", ReturnedAt = r.ReturnedAt.AddYears(1) })],
            Spend = [.. ledger.Spend, .. ledger.Spend.Select(s => s with { Date = s.Date.AddYears(1) })],
            Fees = [.. ledger.Fees, .. ledger.Fees.Select(f => f with { Date = f.Date.AddYears(1) })],
            Attribution = [],
        };
    }

    private async Task<WorkspaceContext> NewWorkspaceAsync(RandomLedger ledger)
    {
        var workspace = new WorkspaceContext(Guid.NewGuid(), "compare", "Europe/Moscow");
        await using (var command = database.DataSource.CreateCommand("INSERT INTO workspaces (id, name) VALUES ($1, $2)"))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = workspace.Id });
            command.Parameters.Add(new NpgsqlParameter { Value = "compare-" + workspace.Id.ToString("N") });
            await command.ExecuteNonQueryAsync();
        }

        var result = await new LedgerImporter(database.DataSource).WriteAsync(
            workspace.Id,
            new LedgerBatch { Costs = ledger.Costs, Sales = ledger.Sales, Returns = ledger.Returns, AdSpend = ledger.Spend, Fees = ledger.Fees },
            CancellationToken.None);
        result.Errors.Should().BeEmpty(string.Join("; ", result.Errors.Take(5)));
        return workspace;
    }
}
