using Npgsql;
using SellerDesk.Data.Ledger;
using SellerDesk.Data.Reports;
using SellerDesk.Data.Workspaces;
using SellerDesk.Domain.Economics;
using SellerDesk.Domain.Reports;
using SellerDesk.Domain.Tests;
using SellerDesk.Ingestion.Files;
using SellerDesk.Integration.Tests.Data;
using SellerDesk.Web.Features.Cohorts;

namespace SellerDesk.Integration.Tests.Features;

/// <summary>
/// LTV by first SKU (decision 0029) read from the stored facts (<see cref="ReportService.LoadFirstSkuCohortsAsync"/>):
/// the tiny example's values worked out by hand, and on random ledgers the domain's in-memory result and rows that add
/// up to the marketplace's cohorts of 4.3.
/// </summary>
public sealed class FirstSkuCohortsOverPostgresTests(FactReportsOverPostgresTests.TinyWorkspace tiny) : IClassFixture<FactReportsOverPostgresTests.TinyWorkspace>
{
    private static readonly ReportRequest TinyRequest = new(new DateOnly(2026, 1, 1), new DateOnly(2026, 3, 31), new DateOnly(2026, 3, 31));

    [Fact]
    public async Task The_tiny_example_gives_the_values_worked_out_by_hand()
    {
        var service = new ReportService(new ReportQueries(tiny.Database.DataSource), TimeProvider.System);

        var ownStore = (await service.LoadFirstSkuCohortsAsync(tiny.Workspace, TinyRequest, new CohortFilter("own_store"))).Select(r => r.Rounded()).ToList();
        var ozon = (await service.LoadFirstSkuCohortsAsync(tiny.Workspace, TinyRequest, new CohortFilter("ozon"))).Select(r => r.Rounded()).ToList();

        // c1's first order S1 holds MUG-01 for 1000 and TEE-02 for 900: MUG-01 leads it. S1 earns 912, S2 in February 140.
        // c2's first order (22:30 UTC on 31 January = 1 February in Moscow) is TEE-02 for 411; March's S5 adds 330.
        // c3's only order S4 came back whole (restockable): −210.
        Describe(ownStore).Should().Equal(
            "own_store MUG-01 2026-01 n=1 first=912.00 ltv=912.00|1052.00|1052.00 rev=1900.00|2400.00|2400.00 ret=1.0000|1.0000|0.0000",
            "own_store MUG-01 2026-02 n=1 first=-210.00 ltv=-210.00|-210.00 rev=0.00|0.00 ret=1.0000|0.0000",
            "own_store TEE-02 2026-02 n=1 first=411.00 ltv=411.00|741.00 rev=950.00|1950.00 ret=1.0000|1.0000");
        // O1 without buyer id is a customer of its own (MUG-01, 230); k1 came with TEE-02 (570) and came back in March (197).
        Describe(ozon).Should().Equal(
            "ozon MUG-01 2026-01 n=1 first=230.00 ltv=230.00|230.00|230.00 rev=600.00|600.00|600.00 ret=1.0000|0.0000|0.0000",
            "ozon TEE-02 2026-01 n=1 first=570.00 ltv=570.00|570.00|767.00 rev=1800.00|1800.00|2420.00 ret=1.0000|0.0000|1.0000");

        var vk = await service.LoadFirstSkuCohortsAsync(tiny.Workspace, TinyRequest, new CohortFilter("own_store", "vk_ads"));
        vk.Select(r => (r.Sku, r.Cohort.ToString(), r.Customers)).Should().Equal(("MUG-01", "2026-01", 1), ("MUG-01", "2026-02", 1));
    }

    [Fact]
    public async Task The_page_lines_of_the_tiny_example_have_the_same_customers_and_ltv_by_sku_and_by_channel()
    {
        var service = new ReportService(new ReportQueries(tiny.Database.DataSource), TimeProvider.System);
        var reports = await service.LoadFactsAsync(tiny.Workspace, TinyRequest);

        var rows = await service.LoadFirstSkuCohortsAsync(tiny.Workspace, TinyRequest, new CohortFilter("own_store"));
        var ltv = FirstSkuLtv.From(rows, reports.Channels().Where(c => c.Marketplace == "own_store"));

        ltv.BySku.Select(l => (l.Code, l.Customers, Rounding.Money(l.LtvToDate))).Should().Equal(("MUG-01", 2, 421.00m), ("TEE-02", 1, 741.00m));
        ltv.Total!.Customers.Should().Be(ltv.ByChannel.Sum(l => l.Customers));
        Rounding.Money(ltv.Total.LtvToDate).Should().Be(Rounding.Money(ltv.ByChannel.Sum(l => l.LtvToDate * l.Customers) / ltv.Total.Customers));
        Rounding.Money(ltv.Total.FirstOrderMargin).Should().Be(Rounding.Money(ltv.ByChannel.Sum(l => l.FirstOrderMargin * l.Customers) / ltv.Total.Customers));
    }

    [Theory]
    [InlineData(13)]
    [InlineData(41)]
    public async Task On_random_ledgers_the_stored_facts_give_the_domains_rows_and_they_add_up_to_the_cohorts(int seed)
    {
        var ledger = RandomLedger.Generate(seed);
        ledger = ledger with { Attribution = [.. ledger.Attribution.Where(a => a.Marketplace != "own_store")] };
        var workspace = new WorkspaceContext(Guid.NewGuid(), "first-sku", "Europe/Moscow");
        await using (var command = tiny.Database.DataSource.CreateCommand("INSERT INTO workspaces (id, name) VALUES ($1, $2)"))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = workspace.Id });
            command.Parameters.Add(new NpgsqlParameter { Value = "first-sku-" + workspace.Id.ToString("N") });
            await command.ExecuteNonQueryAsync();
        }

        var written = await new LedgerImporter(tiny.Database.DataSource).WriteAsync(
            workspace.Id,
            new LedgerBatch { Costs = ledger.Costs, Sales = ledger.Sales, Returns = ledger.Returns, AdSpend = ledger.Spend, Fees = ledger.Fees, Attribution = ledger.Attribution },
            CancellationToken.None);
        written.Errors.Should().BeEmpty();
        var facts = EconomicsFacts.Build(ledger.Sales, ledger.Returns, ledger.Costs, ledger.Attribution, RandomLedger.Moscow);
        var service = new ReportService(new ReportQueries(tiny.Database.DataSource), TimeProvider.System);
        var random = new Random(seed);
        var periods = new[] { new ReportPeriod(RandomLedger.FirstDay, RandomLedger.LastDay, RandomLedger.LastDay) }.Concat(Enumerable.Range(0, 3).Select(_ => RandomLedger.Period(random)));
        foreach (var period in periods)
        {
            var request = new ReportRequest(period.From, period.To, period.AsOf);
            var reports = await service.LoadFactsAsync(workspace, request);
            foreach (var filter in new[] { CohortFilter.None, new CohortFilter("ozon"), new CohortFilter("own_store", "vk_ads") })
            {
                var because = $"{filter} {period.From:yyyy-MM-dd}..{period.To:yyyy-MM-dd} as of {period.AsOf:yyyy-MM-dd}";
                var stored = await service.LoadFirstSkuCohortsAsync(workspace, request, filter);
                var domain = FirstSkuCohortReport.Of(period, facts, filter);
                Describe(stored.Select(r => r.Rounded())).Should().Equal(Describe(domain.Select(r => r.Rounded())), because);

                var cohorts = reports.Cohorts(filter);
                stored.Select(r => (r.Marketplace, r.Cohort)).Distinct().Should().BeEquivalentTo(cohorts.Select(c => (c.Marketplace, c.Cohort)), because);
                foreach (var cohort in cohorts)
                {
                    var parts = stored.Where(r => r.Marketplace == cohort.Marketplace && r.Cohort == cohort.Cohort).ToList();
                    parts.Sum(p => p.Customers).Should().Be(cohort.Customers, because);
                    for (var k = 0; k < cohort.Ltv.Count; k++)
                    {
                        parts.Sum(p => p.Ltv[k] * p.Customers).Should().BeApproximately(cohort.Ltv[k] * cohort.Customers, 0.000_001m, $"{because} {cohort.Marketplace} {cohort.Cohort} ltv[{k}]");
                        parts.Sum(p => p.RevenueLtv[k] * p.Customers).Should().BeApproximately(cohort.RevenueLtv[k] * cohort.Customers, 0.000_001m, $"{because} revenue_ltv[{k}]");
                        parts.Sum(p => p.Retention[k] * p.Customers).Should().BeApproximately(cohort.Retention[k] * cohort.Customers, 0.000_001m, $"{because} retention[{k}]");
                    }
                }
            }
        }
    }

    private static IEnumerable<string> Describe(IEnumerable<FirstSkuCohortRow> rows) => rows.Select(r => string.Create(
        System.Globalization.CultureInfo.InvariantCulture,
        $"{r.Marketplace} {r.Sku} {r.Cohort} n={r.Customers} first={r.FirstOrderMargin:0.00} ltv={string.Join('|', r.Ltv.Select(v => v.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)))} rev={string.Join('|', r.RevenueLtv.Select(v => v.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)))} ret={string.Join('|', r.Retention.Select(v => v.ToString("0.0000", System.Globalization.CultureInfo.InvariantCulture)))}"));
}
