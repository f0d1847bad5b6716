using System.Globalization;
using SellerDesk.Data;
using SellerDesk.Data.Ledger;
using SellerDesk.Domain.Ledger;
using SellerDesk.Domain.Reports;
using SellerDesk.Ingestion.Connectors;
using SellerDesk.Ingestion.Connectors.Http;
using SellerDesk.Ingestion.Connectors.Ozon;
using SellerDesk.Ingestion.Connectors.Wildberries;
using SellerDesk.Testing.Marketplaces;
using SellerDesk.Testing;

namespace SellerDesk.Ingestion.Tests.Pulls;

/// <summary>
/// Every ledger row belongs to its source (decision 0010): a pull writes, restates and deletes only its own
/// connection's rows, files are a source of their own, and two connections of one marketplace add up.
/// </summary>
public sealed class SourceOwnershipTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    // Noon in Moscow on 2026-03-31.
    private static readonly DateTimeOffset Now = new(2026, 3, 31, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Today = new(2026, 3, 31);

    [Fact]
    public async Task A_second_connection_of_the_same_shop_leaves_every_order_of_the_first_one_whole()
    {
        // Issue 8, defect 1: with the demo's sandbox connection in place, another sandbox connection of the same shop
        // pulled its 14 days and deleted the first one's orders whose returns fell in that window.
        var w = await PullWorkspace.CreateAsync(database, Now);
        var demo = await w.SandboxAsync(7, "Sandbox demo shop");
        var again = await w.SandboxAsync(7, "Sandbox again");
        (await w.PullAsync(demo, w.Sandbox(), Today.AddDays(-89), Today)).Result.Succeeded.Should().BeTrue();
        var before = await w.LedgerAsync();
        var revenue = (await w.MarketplacesAsync(Today.AddDays(-89), Today, Today)).Single().Revenue;

        var (runId, second) = await w.PullAsync(again, w.Sandbox(), Today.AddDays(-13), Today);

        second.Succeeded.Should().BeTrue();
        (await w.LedgerAsync(LedgerSource.Connection(demo.Id))).ShouldEqual(before, "the second connection wrote, restated and deleted nothing of the first one's");
        var after = await w.LedgerAsync();
        after.Sales.Should().Equal(before.Sales, "no order was lost or changed");
        after.Returns.Should().Equal(before.Returns);
        (await w.MarketplacesAsync(Today.AddDays(-89), Today, Today)).Single().Revenue.Should().Be(revenue);
        (await w.LedgerAsync(LedgerSource.Connection(again.Id))).Sales.Should().BeEmpty("every order it pulled is already the first connection's");
        second.Notices.Should().Contain(n => n.En.Contains("could not be mapped", StringComparison.Ordinal));
        var reasons = await w.ScalarAsync<string[]>("SELECT array_agg(reason) FROM pull_gaps WHERE run_id = $1", runId);
        reasons.Should().Contain(r => r.Contains("from connection 'Sandbox demo shop'", StringComparison.Ordinal));
        second.Reconciled.Should().BeTrue("what it could not write is counted as gaps, so both sides still cover the same money");

        var (_, firstAgain) = await w.PullAsync(demo, w.Sandbox(), Today.AddDays(-13), Today);
        firstAgain.Reconciled.Should().BeTrue();
        (await w.LedgerAsync(LedgerSource.Connection(demo.Id))).ShouldEqual(before, "a re-pull of the first connection changes nothing");

        await w.ExecuteAsync("DELETE FROM connections WHERE id = $1", again.Id);
        (await w.LedgerAsync()).Sales.Should().Equal(before.Sales, "deleting the second connection takes nothing of the first one's");
    }

    [Fact]
    public async Task Two_shops_of_one_marketplace_pulled_in_every_order_with_overlapping_windows_each_show_what_a_workspace_of_their_own_shows()
    {
        PullWindow[] windowsA = [new(Today.AddDays(-40), Today.AddDays(-20)), new(Today.AddDays(-25), Today)];
        PullWindow[] windowsB = [new(Today.AddDays(-30), Today.AddDays(-10)), new(Today.AddDays(-15), Today)];
        var (reportFrom, asOf) = (Today.AddDays(-40), Today);

        // What a workspace holding only one of the shops shows.
        var soloA = await PullWorkspace.CreateAsync(database, Now);
        var onlyA = await soloA.SandboxAsync(7);
        await soloA.PullAsync(onlyA, soloA.Sandbox(), Today.AddDays(-40), Today);
        var soloB = await PullWorkspace.CreateAsync(database, Now);
        var onlyB = await soloB.SandboxAsync(8);
        await soloB.PullAsync(onlyB, soloB.Sandbox(), Today.AddDays(-30), Today);
        var ledgerA = await soloA.LedgerAsync();
        var ledgerB = await soloB.LedgerAsync();
        var reportA = await soloA.MarketplacesAsync(reportFrom, Today, asOf);
        var reportB = await soloB.MarketplacesAsync(reportFrom, Today, asOf);
        var channelsA = await soloA.ChannelsAsync(reportFrom, Today, asOf);
        ledgerA.Sales.Should().NotBeEmpty();
        ledgerA.Returns.Should().NotBeEmpty();

        foreach (var order in Permutations([0, 1, 2, 3]))
        {
            var w = await PullWorkspace.CreateAsync(database, Now);
            var a = await w.SandboxAsync(7);
            var b = await w.SandboxAsync(8);
            foreach (var step in order)
            {
                var (connection, window) = step < 2 ? (a, windowsA[step]) : (b, windowsB[step - 2]);
                var (_, result) = await w.PullAsync(connection, w.Sandbox(), window.From, window.To);
                result.Succeeded.Should().BeTrue();
                result.Reconciled.Should().BeTrue($"pulls in the order {string.Join(", ", order)}: {result.Reconciliation?.En}");
            }

            var because = $"pulls in the order {string.Join(", ", order)}";
            (await w.LedgerAsync(LedgerSource.Connection(a.Id))).ShouldEqual(ledgerA, because);
            (await w.LedgerAsync(LedgerSource.Connection(b.Id))).ShouldEqual(ledgerB, because);
            (await w.MarketplacesAsync(reportFrom, Today, asOf, LedgerSource.Connection(a.Id))).Should().Equal(reportA, because);
            (await w.MarketplacesAsync(reportFrom, Today, asOf, LedgerSource.Connection(b.Id))).Should().Equal(reportB, because);
            (await w.ChannelsAsync(reportFrom, Today, asOf, LedgerSource.Connection(a.Id))).Should().Equal(channelsA, because);
            ShouldAddUp((await w.MarketplacesAsync(reportFrom, Today, asOf)).Single(), reportA.Single(), reportB.Single(), because);
        }
    }

    [Fact]
    public async Task Two_Wildberries_cabinets_pulled_in_every_order_with_overlapping_windows_keep_their_own_rows_fees_and_ads_and_add_up()
    {
        var start = new DateOnly(2026, 2, 1);
        var reportA = FakeWildberriesReport.Generate(start, days: 10, ordersPerDay: 6, seed: 3);
        var reportB = FakeWildberriesReport.Generate(start.AddDays(2), days: 10, ordersPerDay: 6, seed: 5);
        await using var fakeA = await FakeWildberries.StartAsync(reportA, "wb-token-cabinet-a");
        await using var fakeB = await FakeWildberries.StartAsync(reportB, "wb-token-cabinet-b");
        using var http = new HttpClient();
        PullWindow[] windowsA = [new(start, start.AddDays(6)), new(start.AddDays(4), start.AddDays(9))];
        PullWindow[] windowsB = [new(start.AddDays(2), start.AddDays(7)), new(start.AddDays(5), start.AddDays(11))];
        var (reportFrom, asOf) = (start.AddDays(-5), start.AddDays(20));

        async Task<(PullWorkspace W, ConnectionSettings A, ConnectionSettings B, WildberriesConnector Connector)> WorkspaceAsync()
        {
            var w = await PullWorkspace.CreateAsync(database, Now);
            var connector = new WildberriesConnector(new ResilientHttpSender(http, w.Time, new Random(42)), new WildberriesOptions { ReportLimit = 40, RowsPerPage = 15 });
            var a = await w.ConnectAsync(WildberriesConnector.MarketplaceCode, "WB A", new Dictionary<string, string> { [WildberriesConnector.TokenKey] = fakeA.Token }, fakeA.BaseUrl);
            var b = await w.ConnectAsync(WildberriesConnector.MarketplaceCode, "WB B", new Dictionary<string, string> { [WildberriesConnector.TokenKey] = fakeB.Token }, fakeB.BaseUrl);
            return (w, a, b, connector);
        }

        var soloA = await WorkspaceAsync();
        (await soloA.W.PullAsync(soloA.A, soloA.Connector, start, start.AddDays(9))).Result.Succeeded.Should().BeTrue();
        var soloB = await WorkspaceAsync();
        (await soloB.W.PullAsync(soloB.B, soloB.Connector, start.AddDays(2), start.AddDays(11))).Result.Succeeded.Should().BeTrue();
        var ledgerA = await soloA.W.LedgerAsync();
        var ledgerB = await soloB.W.LedgerAsync();
        var marketplacesA = await soloA.W.MarketplacesAsync(reportFrom, asOf, asOf);
        var marketplacesB = await soloB.W.MarketplacesAsync(reportFrom, asOf, asOf);
        ledgerA.Fees.Select(f => (f.Date, f.Kind)).Intersect(ledgerB.Fees.Select(f => (f.Date, f.Kind)))
            .Should().NotBeEmpty("both cabinets pay storage on the same days: the fee keys of two connections meet");
        ledgerA.AdSpend.Select(a => a.Date).Intersect(ledgerB.AdSpend.Select(a => a.Date)).Should().NotBeEmpty();

        foreach (var order in Permutations([0, 1, 2, 3]))
        {
            var (w, a, b, connector) = await WorkspaceAsync();
            foreach (var step in order)
            {
                var (connection, window) = step < 2 ? (a, windowsA[step]) : (b, windowsB[step - 2]);
                var (_, result) = await w.PullAsync(connection, connector, window.From, window.To);
                result.Succeeded.Should().BeTrue(result.Error?.En);
            }

            var because = $"pulls in the order {string.Join(", ", order)}";
            (await w.LedgerAsync(LedgerSource.Connection(a.Id))).ShouldEqual(ledgerA, because);
            (await w.LedgerAsync(LedgerSource.Connection(b.Id))).ShouldEqual(ledgerB, because);
            (await w.MarketplacesAsync(reportFrom, asOf, asOf, LedgerSource.Connection(a.Id))).Should().Equal(marketplacesA, because);
            (await w.MarketplacesAsync(reportFrom, asOf, asOf, LedgerSource.Connection(b.Id))).Should().Equal(marketplacesB, because);
            ShouldAddUp((await w.MarketplacesAsync(reportFrom, asOf, asOf)).Single(), marketplacesA.Single(), marketplacesB.Single(), because);

            // Once each cabinet's orders are all stored, each one's reconciliation of its whole period matches.
            (await w.PullAsync(a, connector, start, start.AddDays(9))).Result.Reconciled.Should().BeTrue(because);
            (await w.PullAsync(b, connector, start.AddDays(2), start.AddDays(11))).Result.Reconciled.Should().BeTrue(because);
        }
    }

    [Fact]
    public async Task Two_Ozon_cabinets_pulled_in_both_orders_with_overlapping_windows_each_show_what_a_workspace_of_their_own_shows_add_up_and_reconcile()
    {
        // Issue 15, "Two Ozon cabinets": two connections with different client_id against one fake Ozon.
        var start = new DateOnly(2026, 2, 1);
        var dataA = FakeOzonData.Generate(start, days: 14, postingsPerDay: 6, seed: 31);
        var dataB = FakeOzonData.Generate(start.AddDays(2), days: 14, postingsPerDay: 6, seed: 37);
        dataA.Fbo.Concat(dataA.Fbs).Select(p => p.Key).Intersect(dataB.Fbo.Concat(dataB.Fbs).Select(p => p.Key))
            .Should().BeEmpty("two cabinets never share a posting number");
        await using var fake = await FakeOzon.StartAsync();
        var cabinetA = fake.AddCabinet("1100001", "ozon-key-cabinet-a", dataA);
        var cabinetB = fake.AddCabinet("2200002", "ozon-key-cabinet-b", dataB);
        using var http = new HttpClient();
        PullWindow[] windowsA = [new(start, start.AddDays(8)), new(start.AddDays(5), start.AddDays(13))];
        PullWindow[] windowsB = [new(start.AddDays(2), start.AddDays(9)), new(start.AddDays(7), start.AddDays(15))];
        var (reportFrom, asOf) = (start.AddDays(-5), start.AddDays(20));

        async Task<(PullWorkspace W, ConnectionSettings A, ConnectionSettings B, OzonConnector Connector)> WorkspaceAsync()
        {
            var w = await PullWorkspace.CreateAsync(database, Now);
            var connector = new OzonConnector(
                new ResilientHttpSender(http, w.Time, new Random(42)),
                new OzonOptions { PostingLimit = 20, TimeZone = PullWorkspace.Moscow });
            var a = await w.ConnectAsync(OzonConnector.MarketplaceCode, "Ozon A", cabinetA.Credentials, fake.BaseUrl);
            var b = await w.ConnectAsync(OzonConnector.MarketplaceCode, "Ozon B", cabinetB.Credentials, fake.BaseUrl);
            return (w, a, b, connector);
        }

        var soloA = await WorkspaceAsync();
        (await soloA.W.PullAsync(soloA.A, soloA.Connector, start, start.AddDays(13))).Result.Reconciled.Should().BeTrue();
        var soloB = await WorkspaceAsync();
        (await soloB.W.PullAsync(soloB.B, soloB.Connector, start.AddDays(2), start.AddDays(15))).Result.Reconciled.Should().BeTrue();
        var ledgerA = await soloA.W.LedgerAsync();
        var ledgerB = await soloB.W.LedgerAsync();
        var marketplacesA = await soloA.W.MarketplacesAsync(reportFrom, asOf, asOf);
        var marketplacesB = await soloB.W.MarketplacesAsync(reportFrom, asOf, asOf);
        ledgerA.Sales.Should().NotBeEmpty();
        ledgerB.Returns.Should().NotBeEmpty();
        ledgerA.Fees.Select(f => (f.Date, f.Kind)).Intersect(ledgerB.Fees.Select(f => (f.Date, f.Kind)))
            .Should().NotBeEmpty("both cabinets pay storage on the same days: the fee keys of two connections meet");

        int[][] orders = [[0, 2, 1, 3], [2, 0, 3, 1], [0, 1, 2, 3], [3, 2, 1, 0]];
        foreach (var order in orders)
        {
            var (w, a, b, connector) = await WorkspaceAsync();
            var because = $"pulls in the order {string.Join(", ", order)}";
            foreach (var step in order)
            {
                var (connection, window) = step < 2 ? (a, windowsA[step]) : (b, windowsB[step - 2]);
                var (_, result) = await w.PullAsync(connection, connector, window.From, window.To);
                result.Succeeded.Should().BeTrue(result.Error?.En);
                result.Reconciled.Should().BeTrue($"{because}, step {step}: {result.Reconciliation?.En}");
            }

            (await w.LedgerAsync(LedgerSource.Connection(a.Id))).ShouldEqual(ledgerA, because);
            (await w.LedgerAsync(LedgerSource.Connection(b.Id))).ShouldEqual(ledgerB, because);
            (await w.MarketplacesAsync(reportFrom, asOf, asOf, LedgerSource.Connection(a.Id))).Should().Equal(marketplacesA, because);
            (await w.MarketplacesAsync(reportFrom, asOf, asOf, LedgerSource.Connection(b.Id))).Should().Equal(marketplacesB, because);
            ShouldAddUp((await w.MarketplacesAsync(reportFrom, asOf, asOf)).Single(), marketplacesA.Single(), marketplacesB.Single(), because);
            (await w.PullAsync(a, connector, start, start.AddDays(13))).Result.Reconciled.Should().BeTrue(because);
            (await w.PullAsync(b, connector, start.AddDays(2), start.AddDays(15))).Result.Reconciled.Should().BeTrue(because);
        }
    }

    [Fact]
    public async Task A_file_import_never_changes_a_connections_order_and_says_whose_it_is()
    {
        var w = await PullWorkspace.CreateAsync(database, Now);
        var shop = await w.SandboxAsync(11, "Sandbox eleven");
        await w.PullAsync(shop, w.Sandbox(), Today.AddDays(-6), Today);
        var before = await w.LedgerAsync();
        var sale = before.Sales[0];

        var result = await w.ImportAsync(
            LedgerFileKind.Sales,
            "marketplace,order_id,line_id,ordered_at,channel,sku,quantity,revenue,commission,logistics\n"
            + $"sandbox,{sale.OrderId},{sale.LineId},{sale.OrderedAt.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ},{sale.Channel},{sale.Sku},{sale.Quantity},1.00,0,0\n");

        result.Succeeded.Should().BeFalse();
        result.Errors.Should().ContainSingle(e => e.Column == "order_id").Which.Message.Should()
            .Be($"order {sale.OrderId} is in the ledger from connection 'Sandbox eleven', which pulls keep up to date: a file cannot change it");
        (await w.LedgerAsync()).ShouldEqual(before, "the file was refused whole");
    }

    [Fact]
    public async Task A_pull_never_overwrites_an_order_imported_from_files_and_records_it_as_a_gap_naming_the_files()
    {
        var w = await PullWorkspace.CreateAsync(database, Now);
        var shop = await w.SandboxAsync(12);
        var fetched = await FetchAsync(w.Sandbox(), shop, Today.AddDays(-2), Today.AddDays(-2));
        var order = w.Sandbox().Map(fetched, PullWorkspace.Moscow).Sales[0];
        var imported = await w.ImportAsync(
            LedgerFileKind.Sales,
            "marketplace,order_id,line_id,ordered_at,channel,sku,quantity,revenue,commission,logistics\n"
            + $"sandbox,{order.OrderId},{order.LineId},{order.OrderedAt.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ},{order.Channel},{order.Sku},{order.Quantity},1.00,0,0\n");
        imported.Succeeded.Should().BeTrue();

        var (runId, result) = await w.PullAsync(shop, w.Sandbox(), Today.AddDays(-2), Today.AddDays(-2));

        result.Succeeded.Should().BeTrue();
        var files = await w.LedgerAsync(LedgerSource.File);
        files.Sales.Should().ContainSingle().Which.Revenue.Should().Be(1.00m, "the file's figure stays");
        (await w.LedgerAsync(LedgerSource.Connection(shop.Id))).Sales.Should().NotContain(s => s.OrderId == order.OrderId)
            .And.NotBeEmpty("the day's other orders land");
        var gap = await w.ScalarAsync<string>("SELECT reason FROM pull_gaps WHERE run_id = $1 AND order_key = $2", runId, order.OrderId);
        gap.Should().Be($"order {order.OrderId} is already in the ledger from files: a pull does not overwrite another source's rows");
        (await w.ScalarAsync<string[]>("SELECT payloads FROM pull_gaps WHERE run_id = $1 AND order_key = $2", runId, order.OrderId))
            .Should().ContainSingle().Which.Should().Contain(order.OrderId, "the gap keeps the raw row it could not write");
        result.Reconciled.Should().BeTrue(result.Reconciliation?.En);
        (await w.ScalarAsync<decimal>("SELECT payout_effect FROM pull_gaps WHERE run_id = $1 AND order_key = $2", runId, order.OrderId))
            .Should().Be(Payout.Of(order), "the gap carries the payout of the rows left out");
    }

    [Fact]
    public async Task Fees_and_ad_spend_of_files_and_of_a_connection_on_the_same_day_are_both_kept_and_a_re_pull_deletes_neither()
    {
        var w = await PullWorkspace.CreateAsync(database, Now);
        var shop = await w.SandboxAsync(13);
        var day = Today.AddDays(-3).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        (await w.ImportAsync(LedgerFileKind.Fees, $"date,marketplace,kind,amount\n{day},sandbox,storage,1000\n{day},sandbox,penalty,50\n")).Succeeded.Should().BeTrue();
        (await w.ImportAsync(LedgerFileKind.AdSpend, $"date,marketplace,channel,amount\n{day},sandbox,sandbox_ads,700\n")).Succeeded.Should().BeTrue();

        await w.PullAsync(shop, w.Sandbox(), Today.AddDays(-5), Today);
        await w.PullAsync(shop, w.Sandbox(), Today.AddDays(-5), Today);

        var files = await w.LedgerAsync(LedgerSource.File);
        files.Fees.Should().Equal(new PeriodFee(DateOnly.Parse(day, CultureInfo.InvariantCulture), "sandbox", "penalty", 50m), new PeriodFee(DateOnly.Parse(day, CultureInfo.InvariantCulture), "sandbox", "storage", 1000m));
        files.AdSpend.Should().Equal(new AdSpend(DateOnly.Parse(day, CultureInfo.InvariantCulture), "sandbox", "sandbox_ads", 700m));
        var pulled = await w.LedgerAsync(LedgerSource.Connection(shop.Id));
        pulled.Fees.Should().Contain(f => f.Date == DateOnly.Parse(day, CultureInfo.InvariantCulture) && f.Kind == "storage" && f.Amount != 1000m);
        pulled.AdSpend.Should().Contain(a => a.Date == DateOnly.Parse(day, CultureInfo.InvariantCulture) && a.Channel == "sandbox_ads");
        var total = (await w.MarketplacesAsync(Today.AddDays(-5), Today, Today)).Single();
        total.PeriodFees.Should().Be(pulled.Fees.Sum(f => f.Amount) + 1050m, "both sources count");
    }

    internal static async Task<List<SourceRow>> FetchAsync(IMarketplaceConnector connector, ConnectionSettings connection, DateOnly from, DateOnly to)
    {
        var rows = new List<SourceRow>();
        await foreach (var page in connector.FetchAsync(connection, new PullWindow(from, to), CancellationToken.None))
        {
            rows.AddRange(page.Rows);
        }

        return rows;
    }

    internal static IEnumerable<int[]> Permutations(int[] items)
    {
        if (items.Length <= 1)
        {
            yield return items;
            yield break;
        }

        for (var i = 0; i < items.Length; i++)
        {
            foreach (var rest in Permutations([.. items[..i], .. items[(i + 1)..]]))
            {
                yield return [items[i], .. rest];
            }
        }
    }

    /// <summary>The additive figures of the workspace's row are those of the two connections' rows summed.</summary>
    private static void ShouldAddUp(MarketplaceRow total, MarketplaceRow a, MarketplaceRow b, string because)
    {
        total.Revenue.Should().Be(a.Revenue + b.Revenue, because);
        total.NetRevenue.Should().Be(a.NetRevenue + b.NetRevenue, because);
        total.ContributionMargin.Should().Be(a.ContributionMargin + b.ContributionMargin, because);
        total.PeriodFees.Should().Be(a.PeriodFees + b.PeriodFees, because);
        total.AdSpend.Should().Be(a.AdSpend + b.AdSpend, because);
        total.Profit.Should().Be(a.Profit + b.Profit, because);
        total.ReturnLoss.Should().Be(a.ReturnLoss + b.ReturnLoss, because);
        total.NewCustomers.Should().Be(a.NewCustomers + b.NewCustomers, because);
        total.Quantity.Should().Be(a.Quantity + b.Quantity, because);
        total.ReturnedUnits.Should().Be(a.ReturnedUnits + b.ReturnedUnits, because);
    }
}
