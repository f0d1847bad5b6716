using System.Text.Json.Nodes;
using SellerDesk.Ingestion.Pulls;
using SellerDesk.Ingestion.Tests.Connectors.Fakes;
using SellerDesk.Testing;

namespace SellerDesk.Ingestion.Tests.Connectors.Ozon;

/// <summary>Ozon pulls through the pull runner against real PostgreSQL and a fake Ozon over HTTP.</summary>
public sealed class OzonPullTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static readonly DateOnly Start = new(2026, 2, 1);
    private static readonly DateOnly End = new(2026, 2, 28);
    private static readonly FakeOzonData Month = FakeOzonData.Generate(Start, days: 28, postingsPerDay: 12, seed: 23);

    private static int RowsOf(FakeOzonData data) => data.Fbo.Count + data.Fbs.Count + data.Returns.Count + data.Operations.Count;

    [Fact]
    public async Task A_pull_fills_the_ledger_and_Ozon_payout_reconciles_with_the_ledger_to_the_kopeck()
    {
        await using var h = await OzonPullHarness.StartAsync(database, Month);

        var result = await h.PullAsync(Start, End);

        result.Error.Should().BeNull();
        result.Status.Should().Be(PullRunStatus.Succeeded);
        result.RowsRead.Should().Be(RowsOf(Month));
        result.Inserted.Should().Be(RowsOf(Month));
        result.MarketplacePayout.Should().Be(Month.OperationsTotal);
        result.LedgerPayout.Should().Be(result.MarketplacePayout);
        var ledger = await h.LedgerAsync();
        (ledger.Revenue - ledger.SaleCosts - ledger.ReturnMoney - ledger.FeeAmount).Should().Be(Month.OperationsTotal, "the stored ledger holds the same money");
        ledger.Sales.Should().BeGreaterThan(200);
        ledger.Returns.Should().BeGreaterThan(20);
        ledger.Fees.Should().BeGreaterThan(28);
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
    public async Task A_restatement_between_two_pulls_updates_the_figures_and_still_reconciles()
    {
        await using var h = await OzonPullHarness.StartAsync(database, Month);
        await h.PullAsync(Start, End);
        var before = await h.LedgerAsync();

        // Ozon restates a sale's commission (+50.00, in the posting and in its operation) and a day's storage (+20.00).
        var sale = Month.Operations.First(o => o.Json.Contains("\"OperationAgentDeliveredToCustomer\"", StringComparison.Ordinal));
        var saleJson = JsonNode.Parse(sale.Json)!;
        var posting = saleJson["posting"]!["posting_number"]!.GetValue<string>();
        var storage = Month.Operations.First(o => o.Json.Contains("\"OperationMarketplaceServiceStorage\"", StringComparison.Ordinal));
        h.Fake.Data = Month
            .WithPosting(posting, p =>
            {
                var product = p["financial_data"]!["products"]![0]!;
                product["commission_amount"] = product["commission_amount"]!.GetValue<decimal>() + 50m;
            })
            .WithOperation(sale.Key, o =>
            {
                o["sale_commission"] = o["sale_commission"]!.GetValue<decimal>() - 50m;
                o["amount"] = o["amount"]!.GetValue<decimal>() - 50m;
            })
            .WithOperation(storage.Key, o => o["amount"] = o["amount"]!.GetValue<decimal>() - 20m);

        var restated = await h.PullAsync(Start, End);

        restated.Status.Should().Be(PullRunStatus.Succeeded);
        (restated.Inserted, restated.Updated).Should().Be((0, 3));
        var after = await h.LedgerAsync();
        after.Should().Be(before with
        {
            SaleCosts = before.SaleCosts + 50m,
            FeeAmount = before.FeeAmount + 20m,
            LedgerVersion = after.LedgerVersion,
        });
        after.LedgerVersion.Should().BeGreaterThan(before.LedgerVersion);
        restated.MarketplacePayout.Should().Be(Month.OperationsTotal - 70m);
        restated.LedgerPayout.Should().Be(restated.MarketplacePayout);
    }

    [Fact]
    public async Task When_the_finance_method_is_obsolete_the_pull_succeeds_without_fees_and_reconciles_nothing()
    {
        await using var h = await OzonPullHarness.StartAsync(database, Month);
        h.Fake.SwitchOffFinance();

        var result = await h.PullAsync(Start, End);

        result.Status.Should().Be(PullRunStatus.Succeeded);
        result.RowsRead.Should().Be(Month.Fbo.Count + Month.Fbs.Count + Month.Returns.Count);
        (result.MarketplacePayout, result.LedgerPayout).Should().Be(((decimal?)null, (decimal?)null));
        h.Connector.FinanceUnavailable.Should().BeTrue();
        var ledger = await h.LedgerAsync();
        ledger.Sales.Should().BeGreaterThan(200);
        ledger.Fees.Should().Be(0);
        ledger.SaleCosts.Should().BeGreaterThan(0m, "commission and logistics come from the postings' financial data");
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

    [Fact]
    public async Task Repeated_500s_fail_the_run_with_a_plain_message_and_keep_nothing()
    {
        await using var h = await OzonPullHarness.StartAsync(database, Month);
        h.Fake.FailNext(100);

        var result = await h.PullAsync(Start, End);

        result.Status.Should().Be(PullRunStatus.Failed);
        result.Error!.En.Should().StartWith("Ozon answered 500 five times in a row; the pull will retry at the next run");
        (await h.ConnectionRowAsync()).Status.Should().Be("failing");
        (await h.SourceRowsAsync()).Should().Be(0);
    }

    [Fact]
    public async Task A_posting_delivered_after_the_first_pull_becomes_a_sale_once_without_duplicates()
    {
        var onItsWay = Month.Fbo.First(p => p.Json.Contains("\"status\":\"delivering\"", StringComparison.Ordinal));
        var products = JsonNode.Parse(onItsWay.Json)!["products"]!.AsArray();
        var revenue = products.Sum(p => decimal.Parse(p!["price"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture) * p["quantity"]!.GetValue<int>());
        var commission = JsonNode.Parse(onItsWay.Json)!["financial_data"]!["products"]!.AsArray().Sum(p => p!["commission_amount"]!.GetValue<decimal>());
        await using var h = await OzonPullHarness.StartAsync(database, Month);
        await h.PullAsync(Start, End);
        var before = await h.LedgerAsync();

        var delivery = FakeOzonData.Operation(
            99_000_000_001, "OperationAgentDeliveredToCustomer", onItsWay.At.AddDays(1), onItsWay.Key, accruals: revenue, commission: -commission,
            services: [("MarketplaceServiceItemDirectFlowLogistic", -77.70m)]);
        h.Fake.Data = (Month with { Operations = [.. Month.Operations, delivery] })
            .WithPosting(onItsWay.Key, p => p["status"] = "delivered");
        var second = await h.PullAsync(Start, End);
        var third = await h.PullAsync(Start, End);

        second.Status.Should().Be(PullRunStatus.Succeeded);
        (second.Inserted, second.Updated).Should().Be((1, 1));
        (third.Inserted, third.Updated).Should().Be((0, 0));
        var after = await h.LedgerAsync();
        after.Sales.Should().Be(before.Sales + products.Select(p => p!["sku"]!.GetValue<long>()).Distinct().Count());
        after.Revenue.Should().Be(before.Revenue + revenue);
        after.SaleCosts.Should().Be(before.SaleCosts + commission + 77.70m);
        second.MarketplacePayout.Should().Be(Month.OperationsTotal + revenue - commission - 77.70m);
        second.LedgerPayout.Should().Be(second.MarketplacePayout);
    }
}
