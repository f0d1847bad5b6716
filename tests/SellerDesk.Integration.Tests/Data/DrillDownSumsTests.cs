using Npgsql;
using SellerDesk.Data;
using SellerDesk.Data.Ledger;
using SellerDesk.Data.Reports;
using SellerDesk.Data.Workspaces;
using SellerDesk.Domain.Economics;
using SellerDesk.Domain.Reports;
using SellerDesk.Domain.Tests;
using SellerDesk.Ingestion.Files;
using SellerDesk.Testing;

namespace SellerDesk.Integration.Tests.Data;

/// <summary>
/// Issue 12 point 4: the orders a drill-down lists add up to the figure it was opened from, to the kopeck, for every
/// report kind (marketplaces, SKUs, P&amp;L cells, channel revenue, channels' first orders and margin to date, cohort
/// cells), on random ledgers in PostgreSQL; and the orders paged one by one (each order's economics computed by the
/// domain from its line facts) add up to the same totals the drill-down's sum query gives.
/// </summary>
public sealed class DrillDownSumsTests : IClassFixture<TestDatabase>
{
    private readonly TestDatabase _database;

    public DrillDownSumsTests(TestDatabase database) => _database = database;

    [Theory]
    [InlineData(3)]
    [InlineData(41)]
    public async Task Every_figure_of_every_report_equals_the_sum_of_its_drill_down(int seed)
    {
        var ledger = RandomLedger.Generate(seed);
        ledger = ledger with { Attribution = [.. ledger.Attribution.Where(a => a.Marketplace != "own_store")] };
        var workspace = await _database.NewWorkspaceAsync("drill");
        var result = await new LedgerImporter(_database.DataSource).WriteAsync(workspace, new LedgerBatch
        {
            Costs = ledger.Costs, Sales = ledger.Sales, Returns = ledger.Returns, AdSpend = ledger.Spend, Fees = ledger.Fees, Attribution = ledger.Attribution,
        }, CancellationToken.None);
        result.Errors.Should().BeEmpty();

        var queries = new ReportQueries(_database.DataSource);
        var drill = new DrillDownQueries(_database.DataSource);
        var random = new Random(seed);
        ReportPeriod[] periods =
        [
            new(RandomLedger.FirstDay, RandomLedger.LastDay, RandomLedger.LastDay),
            new(RandomLedger.FirstDay.AddDays(30), RandomLedger.FirstDay.AddDays(120), RandomLedger.FirstDay.AddDays(75)),
            RandomLedger.Period(random),
        ];
        var checkedFigures = 0;
        foreach (var period in periods)
        {
            var reports = new FactReports(await queries.LoadSumsAsync(workspace, period));
            checkedFigures += await CheckFiguresAsync(drill, workspace, period, reports, source: null);
        }

        checkedFigures.Should().BeGreaterThan(200, "the random ledgers give many figures of every kind");
    }

    /// <summary>
    /// An account filter (decision 0010: one connection, or files) makes the reports compute the customers of that
    /// account's rows alone: a buyer's first order, acquisition channel and attributed channels may be another account's
    /// in the whole workspace. Every figure of such a filtered report still equals the sum of its drill-down.
    /// </summary>
    [Theory]
    [InlineData(3)]
    [InlineData(41)]
    public async Task Every_figure_of_an_account_filtered_report_equals_the_sum_of_its_drill_down(int seed)
    {
        var ledger = RandomLedger.Generate(seed);
        ledger = ledger with { Attribution = [.. ledger.Attribution.Where(a => a.Marketplace != "own_store")] };
        var workspace = await _database.NewWorkspaceAsync("drill");
        var connection = LedgerSource.Connection(Guid.NewGuid());
        await using (var command = _database.DataSource.CreateCommand(
            "INSERT INTO connections (id, workspace_id, marketplace, name, protected_credentials) VALUES ($1, $2, 'ozon', 'Ozon account', 'x')"))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = connection.Id });
            command.Parameters.Add(new NpgsqlParameter { Value = workspace });
            await command.ExecuteNonQueryAsync();
        }

        // Every other order of a buyer, half the attribution rows, spend and fees are the connection's: buyers' histories
        // span both accounts, so each account's first orders and channels differ from the workspace's.
        var pulled = ledger.Sales.Select(l => (l.Marketplace, l.OrderId)).Distinct().Where((_, i) => i % 2 == 1).ToHashSet();
        bool Pulled(string marketplace, string orderId) => pulled.Contains((marketplace, orderId));
        var importer = new LedgerImporter(_database.DataSource);
        var files = await importer.WriteAsync(workspace, new LedgerBatch
        {
            Costs = ledger.Costs,
            Sales = [.. ledger.Sales.Where(l => !Pulled(l.Marketplace, l.OrderId))],
            Returns = [.. ledger.Returns.Where(r => !Pulled(r.Marketplace, r.OrderId))],
            AdSpend = [.. ledger.Spend.Where((_, i) => i % 2 == 0)],
            Fees = [.. ledger.Fees.Where((_, i) => i % 2 == 0)],
            Attribution = [.. ledger.Attribution.Where((_, i) => i % 2 == 0)],
        }, CancellationToken.None);
        files.Errors.Should().BeEmpty();
        var pull = await importer.WriteAsync(workspace, new LedgerBatch
        {
            Sales = [.. ledger.Sales.Where(l => Pulled(l.Marketplace, l.OrderId))],
            Returns = [.. ledger.Returns.Where(r => Pulled(r.Marketplace, r.OrderId))],
            AdSpend = [.. ledger.Spend.Where((_, i) => i % 2 == 1)],
            Fees = [.. ledger.Fees.Where((_, i) => i % 2 == 1)],
            Attribution = [.. ledger.Attribution.Where((_, i) => i % 2 == 1)],
        }, connection, CancellationToken.None);
        pull.Errors.Should().BeEmpty();

        var service = new ReportService(new ReportQueries(_database.DataSource), TimeProvider.System);
        var context = new WorkspaceContext(workspace, "drill", "Europe/Moscow");
        var drill = new DrillDownQueries(_database.DataSource, service);
        var random = new Random(seed);
        ReportPeriod[] periods =
        [
            new(RandomLedger.FirstDay, RandomLedger.LastDay, RandomLedger.LastDay),
            new(RandomLedger.FirstDay.AddDays(30), RandomLedger.FirstDay.AddDays(120), RandomLedger.FirstDay.AddDays(75)),
            RandomLedger.Period(random),
        ];
        var checkedFigures = 0;
        var newCustomers = new long[periods.Length];
        foreach (var source in new[] { connection, LedgerSource.File })
        {
            for (var i = 0; i < periods.Length; i++)
            {
                var filtered = await service.LoadFactsAsync(context, new ReportRequest(periods[i].From, periods[i].To, periods[i].AsOf) { Source = source });
                checkedFigures += await CheckFiguresAsync(drill, workspace, periods[i], filtered, source);
                newCustomers[i] += filtered.Channels().Sum(c => c.NewCustomers);
            }
        }

        // A buyer with orders of both accounts is new in each: the accounts' customers are not the workspace's cut in two.
        var whole = new FactReports(await new ReportQueries(_database.DataSource).LoadSumsAsync(workspace, periods[0]));
        newCustomers[0].Should().BeGreaterThan(whole.Channels().Sum(c => c.NewCustomers), "some buyers' first orders are another account's");
        checkedFigures.Should().BeGreaterThan(300, "the random ledgers give many figures of every kind");
    }

    /// <summary>
    /// Opens the drill-down of every figure of <paramref name="reports"/> (with the report's account filter) and checks
    /// that it adds up to the figure; pages one drill-down of each scope through and checks it adds up to its totals.
    /// Returns how many figures it checked.
    /// </summary>
    private static async Task<int> CheckFiguresAsync(DrillDownQueries drill, Guid workspace, ReportPeriod period, FactReports reports, LedgerSource? source)
    {
        DrillDownFilter Filter(ReportPeriod p) => new(p) { Source = source };
        var checkedFigures = 0;
        var because = $"{source?.ToString() ?? "all accounts"} {period.From:yyyy-MM-dd}..{period.To:yyyy-MM-dd} as of {period.AsOf:yyyy-MM-dd}";

        foreach (var row in reports.Marketplaces())
        {
            var totals = await drill.TotalsAsync(workspace, Filter(period) with { Marketplace = row.Marketplace });
            Money(totals.Economics.Revenue).Should().Be(Money(row.Revenue), $"{because} {row.Marketplace} revenue");
            Money(totals.Economics.NetRevenue).Should().Be(Money(row.NetRevenue), $"{because} {row.Marketplace} net revenue");
            Money(totals.Economics.ContributionMargin).Should().Be(Money(row.ContributionMargin), $"{because} {row.Marketplace} margin");
            Money(totals.Economics.ReturnLoss).Should().Be(Money(row.ReturnLoss), $"{because} {row.Marketplace} return loss");
            totals.Economics.CogsMissingLines.Should().Be(row.CogsMissingLines);
            checkedFigures += 4;
        }

        foreach (var row in reports.Skus())
        {
            var totals = await drill.TotalsAsync(workspace, Filter(period) with { Marketplace = row.Marketplace, Sku = row.Sku });
            totals.Economics.Units.Should().Be(row.Units, $"{because} {row.Marketplace}/{row.Sku} units");
            totals.Economics.ReturnedUnits.Should().Be(row.ReturnedUnits);
            Money(totals.Economics.Revenue).Should().Be(Money(row.Revenue), $"{because} {row.Marketplace}/{row.Sku} revenue");
            Money(totals.Economics.Fees).Should().Be(Money(row.Fees), $"{because} {row.Marketplace}/{row.Sku} fees");
            Money(totals.Economics.NetCogs).Should().Be(Money(row.NetCogs), $"{because} {row.Marketplace}/{row.Sku} cogs");
            Money(totals.Economics.ContributionMargin).Should().Be(Money(row.ContributionMargin), $"{because} {row.Marketplace}/{row.Sku} margin");
            checkedFigures += 6;
        }

        foreach (var row in reports.ProfitAndLoss())
        {
            var totals = await drill.TotalsAsync(workspace, Filter(period) with { Marketplace = row.Marketplace, Month = row.Month });
            var e = totals.Economics;
            var cell = $"{because} P&L {row.Marketplace} {row.Month}";
            (Money(e.Revenue), Money(e.Refund), Money(e.NetCommission), Money(e.AllLogistics), Money(e.Acquiring), Money(e.OtherFees), Money(e.NetCogs), Money(e.ContributionMargin))
                .Should().Be((Money(row.Revenue), Money(row.Refunds), Money(row.Commission), Money(row.Logistics), Money(row.Acquiring), Money(row.OtherFees), Money(row.Cogs), Money(row.ContributionMargin)), cell);
            checkedFigures += 8;
        }

        var revenue = reports.ChannelRevenue().ToDictionary(r => (r.Marketplace, r.Channel));
        foreach (var row in reports.Channels())
        {
            var cell = $"{because} channel {row.Marketplace}/{row.Channel}";
            var orders = await drill.TotalsAsync(workspace, Filter(period) with { Marketplace = row.Marketplace, Channel = row.Channel });
            Money(orders.Economics.Revenue).Should().Be(Money(revenue[(row.Marketplace, row.Channel)].Revenue), cell + " revenue");

            var first = await drill.TotalsAsync(workspace, Filter(period) with
            {
                Scope = DrillScope.Customers, Marketplace = row.Marketplace, Channel = row.Channel, FirstOrdersOnly = true,
            });
            first.Orders.Should().Be(row.NewCustomers, cell + " new customers");
            var customers = await drill.TotalsAsync(workspace, Filter(period) with { Scope = DrillScope.Customers, Marketplace = row.Marketplace, Channel = row.Channel });
            customers.FirstOrders.Should().Be(row.NewCustomers, cell + " first orders among the customers' orders");
            if (row.NewCustomers > 0)
            {
                Money(first.Economics.ContributionMargin / row.NewCustomers).Should().Be(Money(row.FirstOrderMargin!.Value), cell + " first-order margin");
                Money(customers.Economics.ContributionMargin / row.NewCustomers).Should().Be(Money(row.LtvToDate!.Value), cell + " margin to date");
            }

            checkedFigures += 4;
        }

        foreach (var row in reports.Cohorts())
        {
            for (var k = 0; k < row.Ltv.Count; k++)
            {
                var month = Enumerable.Range(0, k).Aggregate(row.Cohort, (m, _) => m.Next());
                var totals = await drill.TotalsAsync(workspace, Filter(period) with
                {
                    Scope = DrillScope.Customers, Marketplace = row.Marketplace, Cohort = row.Cohort, Through = month,
                });
                var cell = $"{because} cohort {row.Marketplace} {row.Cohort} +{k}";
                totals.FirstOrders.Should().Be(row.Customers, cell + " customers");
                Money(totals.Economics.ContributionMargin / row.Customers).Should().Be(Money(row.Ltv[k]), cell + " ltv");
                Money(totals.Economics.NetRevenue / row.Customers).Should().Be(Money(row.RevenueLtv[k]), cell + " revenue ltv");
                checkedFigures += 3;
            }
        }

        // Paged order by order (page of 7), the domain's per-order economics give the totals of the sum query.
        foreach (var filter in new[]
        {
            Filter(period),
            Filter(period) with { Marketplace = "ozon", Sku = "MUG-01" },
            Filter(period) with { Scope = DrillScope.Customers, Channel = "vk_ads" },
        })
        {
            var totals = await drill.TotalsAsync(workspace, filter);
            var listed = new List<DrillOrder>();
            DrillCursor? after = null;
            do
            {
                var page = await drill.PageAsync(workspace, filter, after, 7);
                page.Orders.Count.Should().BeLessThanOrEqualTo(7);
                listed.AddRange(page.Orders);
                after = page.Next;
            }
            while (after is not null);

            listed.Select(o => (o.Marketplace, o.OrderId)).Should().OnlyHaveUniqueItems();
            listed.Should().BeInAscendingOrder(o => o.OrderDate);
            listed.Count.Should().Be((int)totals.Orders);
            listed.Sum(o => o.Lines.Count).Should().Be((int)totals.Lines);
            var summed = LineEconomics.Sum(listed.Select(o => o.Economics));
            Money(summed.ContributionMargin).Should().Be(Money(totals.Economics.ContributionMargin), because + " paged margin");
            Money(summed.Revenue).Should().Be(Money(totals.Economics.Revenue), because + " paged revenue");
            Money(summed.ReturnLoss).Should().Be(Money(totals.Economics.ReturnLoss), because + " paged return loss");
            if (filter.Sku is { } sku)
            {
                listed.SelectMany(o => o.Lines).Where(l => l.Sku != sku).Should().BeEmpty("a SKU's drill-down lists only its lines");
            }
        }

        return checkedFigures;
    }

    private static decimal Money(decimal value) => Rounding.Money(value);
}
