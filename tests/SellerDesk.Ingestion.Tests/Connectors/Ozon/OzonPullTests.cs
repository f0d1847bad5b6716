using System.Text.Json.Nodes;
using SellerDesk.Ingestion.Connectors;
using SellerDesk.Ingestion.Connectors.Common;
using SellerDesk.Ingestion.Connectors.Ozon;
using SellerDesk.Ingestion.Pulls;
using SellerDesk.Testing.Marketplaces;
using SellerDesk.Ingestion.Tests.Pulls;
using SellerDesk.Testing;
using static SellerDesk.Testing.Marketplaces.FakeOzonData;

namespace SellerDesk.Ingestion.Tests.Connectors.Ozon;

/// <summary>Ozon pulls through the pull runner against real PostgreSQL and a fake Ozon over HTTP.</summary>
public sealed class OzonPullTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private const int Days = 28;
    private static readonly DateOnly Start = new(2026, 2, 1);
    private static readonly DateOnly End = Start.AddDays(Days - 1);
    private static readonly FakeOzonData Month = Generate(Start, days: Days, postingsPerDay: 12, seed: 23);

    private static async Task<List<string>> SourceIdsAsync(OzonPullHarness h, string feed)
    {
        await using var command = h.Database.DataSource.CreateCommand("SELECT source_id FROM source_rows WHERE connection_id = $1 AND feed = $2");
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = h.Connection.Id });
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = feed });
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new List<string>();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    private static async Task<string> PayloadAsync(OzonPullHarness h, string feed, string sourceId)
    {
        await using var command = h.Database.DataSource.CreateCommand("SELECT payload::text FROM source_rows WHERE connection_id = $1 AND feed = $2 AND source_id = $3");
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = h.Connection.Id });
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = feed });
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = sourceId });
        return (string)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Rows a pull of the month stores: every posting (and its accruals), every return, every day.</summary>
    private static int RowsOf(FakeOzonData data) => (2 * (data.Fbo.Count + data.Fbs.Count)) + data.Returns.Count + Days;

    [Fact]
    public async Task A_pull_fills_the_ledger_and_Ozon_payout_reconciles_with_the_ledger_to_the_kopeck()
    {
        await using var h = await OzonPullHarness.StartAsync(database, Month);

        var result = await h.PullAsync(Start, End);

        result.Error.Should().BeNull();
        result.Status.Should().Be(PullRunStatus.Succeeded);
        result.RowsRead.Should().Be(RowsOf(Month));
        result.Inserted.Should().Be(RowsOf(Month));
        result.MarketplacePayout.Should().Be(Month.AccruedTotal);
        result.LedgerPayout.Should().Be(result.MarketplacePayout);
        var ledger = await h.LedgerAsync();
        (ledger.Revenue - ledger.SaleCosts - ledger.ReturnMoney - ledger.FeeAmount).Should().Be(Month.AccruedTotal, "the stored ledger holds the same money");
        ledger.Sales.Should().BeGreaterThan(200);
        ledger.Returns.Should().BeGreaterThan(20);
        ledger.Fees.Should().BeGreaterThan(3 * Days);
        ledger.AdSpend.Should().Be(0);
        (await h.CustomerIdsAsync()).Should().Contain((string?)null).And.Contain(id => id != null && id.StartsWith("700000", StringComparison.Ordinal));
        (await h.SourceRowsAsync()).Should().Be(RowsOf(Month));
        (await h.ConnectionRowAsync()).Should().Be(("healthy", (string?)null));
    }

    [Fact]
    public async Task Re_pulling_the_same_period_inserts_and_updates_nothing_and_leaves_the_ledger_as_it_was()
    {
        await using var h = await OzonPullHarness.StartAsync(database, Month);
        await h.PullAsync(Start, End);
        var before = await h.LedgerAsync();

        var again = await h.PullAsync(Start, End);

        again.Status.Should().Be(PullRunStatus.Succeeded);
        again.RowsRead.Should().Be(RowsOf(Month));
        (again.Inserted, again.Updated).Should().Be((0, 0));
        (await h.LedgerAsync()).Should().Be(before);
        (await h.SourceRowsAsync()).Should().Be(RowsOf(Month));
        again.LedgerPayout.Should().Be(again.MarketplacePayout);
    }

    [Fact]
    public async Task A_restated_accrual_changed_dropped_or_re_issued_under_a_new_id_is_counted_once()
    {
        await using var h = await OzonPullHarness.StartAsync(database, Month);
        await h.PullAsync(Start, End);
        var before = await h.LedgerAsync();

        // Ozon restates a sale's commission (+50.00), drops a day's storage and re-issues that day's clicks under a new id.
        var sold = Month.PostingAccruals.First(p => p.Accruals.Any(a => a.SellerPrice > 0m));
        var restated = sold.Accruals.Select((a, i) => i == 0 ? a with { Amount = a.Amount - 50m } : a).ToList();
        var day = Start.AddDays(10);
        var storage = Month.DayAccruals.Single(d => d.Date == day && d.Json.Contains("\"type_id\":46", StringComparison.Ordinal));
        var clicks = Month.DayAccruals.Single(d => d.Date == day && d.Json.Contains("\"type_id\":41", StringComparison.Ordinal));
        var reissued = NonItem(99_000_000_001, day, PayPerClick, clicks.Total, "advertising-contract");
        h.Fake.Data = Month.WithAccruals(sold.PostingNumber, restated).WithDayAccruals([storage.Id, clicks.Id], reissued);

        var second = await h.PullAsync(Start, End);
        var third = await h.PullAsync(Start, End);

        second.Status.Should().Be(PullRunStatus.Succeeded);
        (second.Inserted, second.Updated).Should().Be((0, 2), "the posting's accruals and the day's accruals are each one row");
        (third.Inserted, third.Updated).Should().Be((0, 0));
        var after = await h.LedgerAsync();
        after.Should().Be(before with
        {
            SaleCosts = before.SaleCosts + 50m,
            FeeAmount = before.FeeAmount + storage.Total,
            Fees = after.Fees,
            LedgerVersion = after.LedgerVersion,
        });
        after.LedgerVersion.Should().BeGreaterThan(before.LedgerVersion);
        second.MarketplacePayout.Should().Be(Month.AccruedTotal - 50m - storage.Total);
        second.LedgerPayout.Should().Be(second.MarketplacePayout);
        (after.Revenue - after.SaleCosts - after.ReturnMoney - after.FeeAmount).Should().Be(second.MarketplacePayout);
    }

    [Fact]
    public async Task A_deliberately_broken_mapping_makes_the_reconciliation_differ_by_exactly_what_it_lost()
    {
        await using var h = await OzonPullHarness.StartAsync(database, Month);
        var broken = new CommissionLosingConnector(h.Connector);

        var result = await h.PullAsync(Start, End, broken);

        result.Status.Should().Be(PullRunStatus.Succeeded);
        result.MarketplacePayout.Should().Be(Month.AccruedTotal, "Ozon's side is its own accrued money, whatever the mapping does");
        broken.Lost.Should().BePositive();
        (result.LedgerPayout - result.MarketplacePayout).Should().Be(broken.Lost);
    }

    [Fact]
    public async Task A_revoked_key_fails_the_run_at_once_and_marks_the_connection_as_needing_a_new_key()
    {
        await using var h = await OzonPullHarness.StartAsync(database, Month);
        h.Fake.RevokeKey();

        var result = await h.PullAsync(Start, End);

        result.Status.Should().Be(PullRunStatus.Failed);
        result.Error!.En.Should().StartWith("token rejected by Ozon: paste a new one");
        h.Fake.Requests.Should().ContainSingle();
        (await h.ConnectionRowAsync()).Status.Should().Be("needs_token");
        (await h.LedgerAsync()).Sales.Should().Be(0);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Repeated_500s_fail_the_run_with_a_plain_message_keep_nothing_and_promise_a_next_run_only_when_one_is_scheduled(bool scheduled)
    {
        await using var h = await OzonPullHarness.StartAsync(database, Month);
        if (scheduled)
        {
            await PullHarness.ExecuteAsync(
                database, "UPDATE connections SET schedule_enabled = true, schedule_cron = '0 0 6 * * ?' WHERE id = $1", h.Connection.Id);
        }

        h.Fake.FailNext(100);

        var result = await h.PullAsync(Start, End);

        result.Status.Should().Be(PullRunStatus.Failed);
        var next = scheduled ? PullTexts.RetryScheduled : PullTexts.RetryByHand;
        result.Error.Should().Be(new LocalText(
            "Ozon answered 500 five times in a row " + next.En,
            OzonTexts.UnavailableRu + " " + next.Ru));
        result.Error!.En.Should().NotContain("will retry at the next run");
        result.Error.Ru.Should().NotContain("при следующем запуске");
        var (status, lastError) = await h.ConnectionRowAsync();
        status.Should().Be("failing");
        LocalText.Decode(lastError).Should().Be(result.Error);
        (await h.SourceRowsAsync()).Should().Be(0);
    }

    [Fact]
    public async Task A_method_Ozon_switched_off_fails_the_run_with_a_plain_message_naming_it_keeps_nothing_and_marks_the_connection_needs_update()
    {
        await using var h = await OzonPullHarness.StartAsync(database, Month);
        await PullHarness.ExecuteAsync(
            database, "UPDATE connections SET schedule_enabled = true, schedule_cron = '0 0 6 * * ?' WHERE id = $1", h.Connection.Id);
        h.Fake.Retire(OzonConnector.FboPath);

        var result = await h.PullAsync(Start, End);

        result.Status.Should().Be(PullRunStatus.Failed);
        result.Error.Should().Be(OzonTexts.MethodRetired("POST /v3/posting/fbo/list"), "a retired method is not retried by the next run: no promise follows");
        h.Fake.Requests.Should().Contain(r => r.Path == OzonConnector.FboPath && r.Status == 400);
        (await h.SourceRowsAsync()).Should().Be(0);
        (await h.LedgerAsync()).Sales.Should().Be(0);
        var (status, lastError) = await h.ConnectionRowAsync();
        status.Should().Be("needs_update");
        LocalText.Decode(lastError)!.En.Should().Contain("POST /v3/posting/fbo/list");

        h.Fake.Reinstate(OzonConnector.FboPath);
        var recovered = await h.PullAsync(Start, End);

        recovered.Succeeded.Should().BeTrue(recovered.Error?.En);
        (await h.ConnectionRowAsync()).Should().Be(("healthy", (string?)null), "a successful run clears 'needs an update'");
    }

    [Fact]
    public async Task A_restated_window_deletes_the_returns_and_day_accruals_Ozon_dropped_and_keeps_postings_as_their_lists_are_not_declared_whole()
    {
        await using var h = await OzonPullHarness.StartAsync(database, Month);
        (await h.PullAsync(Start, End)).Reconciled.Should().BeTrue();
        var droppedReturn = Month.Returns[0];
        var droppedPosting = Month.Fbo[^1];
        var droppedDay = Month.DayAccruals[0];
        var dayKey = droppedDay.Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        JsonNode.Parse(await PayloadAsync(h, OzonConnector.DayAccrualsFeed, dayKey))!["accruals"]!.AsArray().Select(a => (long)a!["accrual_id"]!)
            .Should().Contain(droppedDay.Id, "the first pull stored it");
        var restated = (Month with
        {
            Returns = [.. Month.Returns.Skip(1)],
            Fbo = [.. Month.Fbo.SkipLast(1)],
        }).WithDayAccruals([droppedDay.Id]);
        h.Fake.Data = restated;

        var result = await h.PullAsync(Start, End);

        result.Succeeded.Should().BeTrue(result.Error?.En);
        result.Dropped.Should().Be(1, "the return Ozon no longer lists is deleted; a day's row is replaced whole");
        (await SourceIdsAsync(h, OzonConnector.ReturnsFeed)).Should().NotContain(droppedReturn.Key).And.HaveCount(Month.Returns.Count - 1);
        (await SourceIdsAsync(h, OzonConnector.FboFeed)).Should().Contain(droppedPosting.Key,
            "the posting lists are not declared whole (their since/to are not documented to filter on the date the rows carry), so a posting they leave out is kept");
        var day = JsonNode.Parse(await PayloadAsync(h, OzonConnector.DayAccrualsFeed, dayKey))!;
        day["accruals"]!.AsArray().Select(a => (long)a!["accrual_id"]!).Should().NotContain(droppedDay.Id, "the day's row holds what Ozon lists for it now");
        result.Reconciled.Should().BeTrue(result.Reconciliation?.En);
    }

    [Fact]
    public async Task A_posting_delivered_after_the_first_pull_becomes_a_sale_once_without_duplicates()
    {
        var onItsWay = Month.Fbo.First(p => p.Json.Contains("\"status\":\"delivering\"", StringComparison.Ordinal));
        var products = JsonNode.Parse(onItsWay.Json)!["products"]!.AsArray()
            .Select(p => new FakeOzonProduct(
                p!["sku"]!.GetValue<long>().ToString(System.Globalization.CultureInfo.InvariantCulture), p["offer_id"]!.GetValue<string>(),
                p["quantity"]!.GetValue<int>(), Amount(p["price"]), 0m))
            .ToList();
        var commissions = JsonNode.Parse(onItsWay.Json)!["financial_data"]!["products"]!.AsArray().Select(p => p!["commission"]!["amount"]!.GetValue<decimal>()).ToList();
        products = [.. products.Select((p, i) => p with { Commission = commissions[i] })];
        var revenue = products.Sum(p => p.Price * p.Quantity);
        var commission = products.Sum(p => p.Commission);
        await using var h = await OzonPullHarness.StartAsync(database, Month);
        await h.PullAsync(Start, End);
        var before = await h.LedgerAsync();

        var delivered = Moscow(onItsWay.At.AddDays(1));
        h.Fake.Data = Month
            .WithAccruals(onItsWay.Key, [.. products.Select(p => Sale(p, delivered)), Charge(Logistic, -77.70m, delivered)])
            .WithPosting(onItsWay.Key, p => p["status"] = "delivered");
        var second = await h.PullAsync(Start, End);
        var third = await h.PullAsync(Start, End);

        second.Status.Should().Be(PullRunStatus.Succeeded);
        (second.Inserted, second.Updated).Should().Be((0, 2), "the posting and its accruals changed; the day list keeps posting money out of its row");
        (third.Inserted, third.Updated).Should().Be((0, 0));
        var after = await h.LedgerAsync();
        after.Sales.Should().Be(before.Sales + products.Select(p => p.Sku).Distinct().Count());
        after.Revenue.Should().Be(before.Revenue + revenue);
        after.SaleCosts.Should().Be(before.SaleCosts + commission + 77.70m);
        second.MarketplacePayout.Should().Be(Month.AccruedTotal + revenue - commission - 77.70m);
        second.LedgerPayout.Should().Be(second.MarketplacePayout);
    }

    [Fact]
    public async Task A_posting_without_any_date_is_kept_as_received_and_the_rest_of_the_pull_lands()
    {
        var undated = Month.Fbo.First(p => Month.AccrualsOf(p.Key).Any(a => a.SellerPrice > 0m));
        var data = Month.WithPosting(undated.Key, p =>
        {
            p["in_process_at"] = null;
            p["created_at"] = null;
        });
        await using var h = await OzonPullHarness.StartAsync(database, data);

        var result = await h.PullAsync(Start, End);

        result.Status.Should().Be(PullRunStatus.Succeeded);
        (await h.SourceRowsAsync()).Should().Be(RowsOf(Month));
        var ledger = await h.LedgerAsync();
        ledger.Sales.Should().BeGreaterThan(200);
        var money = Month.AccrualsOf(undated.Key).Sum(a => a.Money);
        result.MarketplacePayout.Should().Be(Month.AccruedTotal);
        result.UnmappedPayout.Should().Be(money, "its accrued money is a gap of its order, not in the ledger");
        result.LedgerPayout.Should().Be(result.MarketplacePayout, "the ledger with its recorded gaps accounts for every rouble Ozon accrued");
    }

    /// <summary>An Ozon connector whose mapping loses the commission of the first sale line: what a wrong mapping looks like.</summary>
    private sealed class CommissionLosingConnector(OzonConnector inner) : IMarketplaceConnector
    {
        public decimal Lost { get; private set; }

        public string Marketplace => inner.Marketplace;

        public IAsyncEnumerable<SourcePage> FetchAsync(ConnectionSettings connection, PullWindow window, CancellationToken cancellationToken) =>
            inner.FetchAsync(connection, window, cancellationToken);

        public DerivedLedger Map(IReadOnlyList<SourceRow> rows, TimeZoneInfo zone)
        {
            var mapped = inner.Map(rows, zone);
            var victim = mapped.Sales.FirstOrDefault(s => s.Commission > 0m);
            if (victim is null)
            {
                return mapped;
            }

            Lost = victim.Commission;
            return mapped with { Sales = [.. mapped.Sales.Select(s => ReferenceEquals(s, victim) ? s with { Commission = 0m } : s)] };
        }

        public decimal? MarketplacePayout(IReadOnlyList<SourceRow> rows) => inner.MarketplacePayout(rows);
    }
}
