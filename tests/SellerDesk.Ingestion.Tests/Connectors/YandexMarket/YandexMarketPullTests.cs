using SellerDesk.Ingestion.Connectors.Common;
using SellerDesk.Ingestion.Pulls;
using SellerDesk.Testing.Marketplaces;
using SellerDesk.Ingestion.Tests.Pulls;
using SellerDesk.Testing;
using static SellerDesk.Ingestion.Tests.Connectors.YandexMarket.YandexMarketFixtures;

namespace SellerDesk.Ingestion.Tests.Connectors.YandexMarket;

/// <summary>Yandex Market pulls through the pull runner against real PostgreSQL and a fake Yandex Market over HTTP.</summary>
public sealed class YandexMarketPullTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static readonly DateOnly Start = new(2026, 2, 2);
    private static readonly FakeYandexMarketData Weeks = FakeYandexMarketData.Generate(Start, days: 14, ordersPerDay: 12, seed: 11);
    private static readonly DateOnly End = Start.AddDays(13);

    private static int RowsOf(FakeYandexMarketData data) => data.Orders.Count + data.Returns.Count + data.Services.Count;

    [Fact]
    public async Task A_pull_reads_every_page_of_both_feeds_fills_the_ledger_and_reconciles_to_the_kopeck()
    {
        var month = FakeYandexMarketData.Generate(new DateOnly(2026, 1, 5), days: 28, ordersPerDay: 30, seed: 7);
        await using var h = await YandexMarketPullHarness.StartAsync(database, month);

        var (_, result) = await h.PullAsync(new DateOnly(2026, 1, 5), new DateOnly(2026, 2, 1));

        result.Error.Should().BeNull();
        result.Status.Should().Be(PullRunStatus.Succeeded);
        result.RowsRead.Should().Be(RowsOf(month));
        result.Inserted.Should().Be(RowsOf(month));
        result.PagesRead.Should().Be(((month.Orders.Count + 39) / 40) + ((month.Returns.Count + 9) / 10) + 1, "and one page of the services report");
        result.MarketplacePayout.Should().Be(month.Payout, "payments and subsidies less refunds, deductions and commissions of every order, less the services charged");
        result.LedgerPayout.Should().Be(result.MarketplacePayout, "the ledger accounts for every kopeck of it");
        var ledger = await h.LedgerAsync();
        ledger.Sales.Should().Be(month.Orders.Where(o => o.Status != "CANCELLED_BEFORE_PROCESSING").Sum(o => o.Items.Count));
        ledger.Returns.Should().Be(
            month.Returns.Where(r => r.RefundStatus is not ("CANCELLED" or "REJECTED")).Sum(r => r.Items.Select(i => i.ShopSku).Distinct().Count()),
            "one event per return and line; a cancelled or rejected return refunded nothing");
        ledger.FeeAmount.Should().Be(month.Services.Where(s => s.OrderId is null).Sum(s => s.Amount));
        ledger.AdSpend.Should().Be(0);
        (await h.ConnectionRowAsync()).Should().Be(("healthy", (string?)null));
    }

    [Fact]
    public async Task Re_pulling_the_same_period_inserts_and_updates_nothing_and_leaves_the_ledger_as_it_was()
    {
        await using var h = await YandexMarketPullHarness.StartAsync(database, Weeks);
        await h.PullAsync(Start, End);
        var before = await h.LedgerAsync();

        var (_, again) = await h.PullAsync(Start, End);

        again.Status.Should().Be(PullRunStatus.Succeeded);
        again.RowsRead.Should().Be(RowsOf(Weeks));
        again.Inserted.Should().Be(0);
        again.Updated.Should().Be(0);
        (await h.LedgerAsync()).Should().Be(before, "nothing changed, so nothing was derived or written");
        (await h.SourceRowsAsync()).Should().Be(RowsOf(Weeks));
        again.LedgerPayout.Should().Be(again.MarketplacePayout);
    }

    [Fact]
    public async Task A_restated_order_updates_its_row_and_the_ledger_figures_without_duplicates()
    {
        await using var h = await YandexMarketPullHarness.StartAsync(database, Weeks);
        await h.PullAsync(Start, End);
        var before = await h.LedgerAsync();
        var order = Weeks.Orders.First(o => o.Status == "DELIVERED" && o.Items.Count == 1);
        var item = order.Items[0];
        var line = item.ShopSku!;
        var stored = await h.SaleAsync(order.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), line);
        h.Fake.Data = Weeks.Restate(o => o.Id == order.Id, o => o with
        {
            Items = [item with { Prices = [.. item.Prices.Select(p => p.Type == "BUYER" ? p with { Total = p.Total + 100m } : p)] }],
            Payments = [.. o.Payments.Select(p => p.Source == "BUYER" ? p with { Total = p.Total + 100m } : p)],
            Commissions = [.. o.Commissions.Select(c => c.Type == "FEE" ? c with { Actual = c.Actual + 9m } : c)],
        });

        var (_, restated) = await h.PullAsync(Start, End);

        restated.Status.Should().Be(PullRunStatus.Succeeded);
        restated.Inserted.Should().Be(0);
        restated.Updated.Should().Be(1);
        var after = await h.LedgerAsync();
        after.Figures().Should().Be(before.Figures() with { Revenue = before.Revenue + 100m, SaleCosts = before.SaleCosts + 9m });
        (await h.SaleAsync(order.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), line))
            .Should().Be((stored!.Value.Revenue + 100m, stored.Value.Fees + 9m, stored.Value.CustomerId));
        restated.MarketplacePayout.Should().Be(h.Fake.Data.Payout).And.Be(Weeks.Payout + 91m);
        restated.LedgerPayout.Should().Be(restated.MarketplacePayout);
    }

    [Fact]
    public async Task A_return_that_appears_in_a_later_pull_attaches_to_the_order_pulled_before()
    {
        var beforeReturn = PartlyReturned with
        {
            Status = "DELIVERED",
            Payments = [.. PartlyReturned.Payments.Where(p => p.Type == "PAYMENT")],
            Commissions = [.. PartlyReturned.Commissions.Where(c => c.Type != "RETURN_PROCESSING")],
        };
        var first = HandChecked with
        {
            Orders = [.. HandChecked.Orders.Select(o => o.Id == PartlyReturned.Id ? beforeReturn : o)],
            Returns = [.. HandChecked.Returns.Where(r => r.Id != DefectiveCap.Id)],
        };
        await using var h = await YandexMarketPullHarness.StartAsync(database, first);
        var (_, early) = await h.PullAsync(From, To);
        early.LedgerPayout.Should().Be(early.MarketplacePayout);
        (await h.LedgerAsync()).Returns.Should().Be(2, "the unredeemed mug and the kettle; the cancelled return is no return");

        h.Fake.Data = HandChecked;
        var (_, later) = await h.PullAsync(From, To);

        later.Status.Should().Be(PullRunStatus.Succeeded);
        later.Inserted.Should().Be(1, "the new return");
        later.Updated.Should().Be(1, "the order now carries the refund and the return processing charge");
        var ledger = await h.LedgerAsync();
        ledger.Returns.Should().Be(3);
        ledger.Sales.Should().Be(5);
        ledger.ReturnMoney.Should().Be(500m + 40m + 950m + 30m + 2000m + 50m);
        later.MarketplacePayout.Should().Be(HandCheckedPayout);
        later.LedgerPayout.Should().Be(HandCheckedPayout);
        (await h.SaleAsync("1002", "CAP-03"))!.Value.CustomerId.Should().Be("777");
        (await h.SaleAsync("1001", "MUG-01"))!.Value.CustomerId.Should().BeNull();
    }

    [Fact]
    public async Task An_order_placed_before_the_window_and_returned_inside_it_is_restated_by_a_later_pull()
    {
        var beforeReturn = PartlyReturned with
        {
            Status = "DELIVERED",
            StatusUpdateDate = "2026-03-02T15:00:00+03:00",
            Payments = [.. PartlyReturned.Payments.Where(p => p.Type == "PAYMENT")],
            Commissions = [.. PartlyReturned.Commissions.Where(c => c.Type != "RETURN_PROCESSING")],
        };
        await using var h = await YandexMarketPullHarness.StartAsync(
            database,
            HandChecked with
            {
                Orders = [.. HandChecked.Orders.Select(o => o.Id == PartlyReturned.Id ? beforeReturn : o)],
                Returns = [.. HandChecked.Returns.Where(r => r.Id != DefectiveCap.Id)],
            });
        await h.PullAsync(From, To);

        h.Fake.Data = HandChecked;
        var (_, later) = await h.PullAsync(new DateOnly(2026, 3, 4), new DateOnly(2026, 3, 8));

        later.Status.Should().Be(PullRunStatus.Succeeded);
        h.Fake.OrderRequests.Should().Contain(r => r.Body!.Contains("updateFrom", StringComparison.Ordinal));
        later.Updated.Should().Be(1, "order 1002, created on March 1, now carries its refund and return charge");
        later.Inserted.Should().Be(1, "its return");
        (await h.SaleAsync("1002", "CAP-03"))!.Value.Fees.Should().Be(150m + 80m + 30m + 15m);
        await using var reference = await YandexMarketPullHarness.StartAsync(database, HandChecked);
        await reference.PullAsync(From, To);
        (await h.LedgerAsync()).Figures().Should().Be((await reference.LedgerAsync()).Figures(), "the ledger is what one pull of the settled campaign makes");
    }

    [Fact]
    public async Task A_revoked_key_fails_the_run_at_once_and_asks_for_a_new_key()
    {
        await using var h = await YandexMarketPullHarness.StartAsync(database, Weeks);
        h.Fake.RevokeKey();

        var (_, result) = await h.PullAsync(Start, End);

        result.Status.Should().Be(PullRunStatus.Failed);
        result.Error!.En.Should().StartWith("token rejected by Yandex Market");
        h.Fake.Requests.Should().ContainSingle("a rejected key is not retried");
        (await h.ConnectionRowAsync()).Should().Be(("needs_token", result.Error.Encode()));
        (await h.SourceRowsAsync()).Should().Be(0);
        (await h.LedgerAsync()).Sales.Should().Be(0);
    }

    [Fact]
    public async Task Repeated_server_errors_fail_the_run_with_a_clear_message_write_nothing_and_the_next_run_recovers()
    {
        await using var h = await YandexMarketPullHarness.StartAsync(database, Weeks);
        h.Fake.FailNext(1_000);

        var (_, result) = await h.PullAsync(Start, End);

        result.Status.Should().Be(PullRunStatus.Failed);
        result.Error!.En.Should().Be("Yandex Market answered 500 five times in a row " + PullTexts.RetryByHand.En);
        (await h.ConnectionRowAsync()).Should().Be(("failing", result.Error.Encode()));
        (await h.SourceRowsAsync()).Should().Be(0);
        (await h.LedgerAsync()).Figures().Should().Be(new LedgerSnapshot(0, 0m, 0m, 0, 0m, 0, 0m, 0, 0m, 0));

        h.Fake.FailNext(0);
        var (_, next) = await h.PullAsync(Start, End);
        next.Status.Should().Be(PullRunStatus.Succeeded);
        next.LedgerPayout.Should().Be(next.MarketplacePayout);
        (await h.ConnectionRowAsync()).Should().Be(("healthy", (string?)null));
    }

    [Fact]
    public async Task Throttling_with_420_in_the_middle_of_a_pull_is_waited_out_and_the_pull_completes()
    {
        await using var h = await YandexMarketPullHarness.StartAsync(database, Weeks);
        h.Fake.ThrottleNext(3);

        var (_, result) = await h.PullAsync(Start, End);

        result.Status.Should().Be(PullRunStatus.Succeeded);
        result.RowsRead.Should().Be(RowsOf(Weeks));
        h.Fake.Requests.Count(r => r.Status == 420).Should().Be(3);
        h.Time.Delays.Should().Equal(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_services_report_still_generating_is_waited_for_and_its_charges_land_as_period_fees_and_order_fees()
    {
        await using var h = await YandexMarketPullHarness.StartAsync(database, HandChecked);
        h.Fake.PendingPolls = 2;

        var (_, result) = await h.PullAsync(From, To);

        result.Status.Should().Be(PullRunStatus.Succeeded);
        h.Time.Delays.Should().Equal([TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5)], "two answers 'still generating'");
        var ledger = await h.LedgerAsync();
        ledger.Fees.Should().Be(3);
        ledger.FeeAmount.Should().Be(45.50m + 120m + 25m, "storage, acceptance, and the charge of the order cancelled before shipment");
        (await h.SaleAsync("1002", "CAP-03"))!.Value.Fees.Should().Be(150m + 80m + 30m + 15m, "the order's warehouse processing is its fee");
        result.MarketplacePayout.Should().Be(HandCheckedPayout);
        result.LedgerPayout.Should().Be(HandCheckedPayout);
    }

    [Fact]
    public async Task A_restated_service_cost_updates_its_period_fee_in_place()
    {
        await using var h = await YandexMarketPullHarness.StartAsync(database, HandChecked);
        await h.PullAsync(From, To);
        var before = await h.LedgerAsync();
        h.Fake.Data = HandChecked with { Services = [MugStorage with { Amount = 47.25m }, Acceptance, CapProcessing] };

        var (_, restated) = await h.PullAsync(From, To);

        restated.Status.Should().Be(PullRunStatus.Succeeded);
        restated.Inserted.Should().Be(0);
        restated.Updated.Should().Be(1);
        (await h.LedgerAsync()).Figures().Should().Be(before.Figures() with { FeeAmount = before.FeeAmount + 1.75m });
        restated.MarketplacePayout.Should().Be(HandCheckedPayout - 1.75m);
        restated.LedgerPayout.Should().Be(restated.MarketplacePayout);
    }

    [Fact]
    public async Task A_return_settled_after_the_window_arrives_with_the_pull_of_the_window_and_the_payout_closes()
    {
        var settledLater = KettleBack with { UpdateDate = "2026-03-07T15:00:00+03:00" };
        await using var h = await YandexMarketPullHarness.StartAsync(database, HandChecked with { Returns = [DefectiveCap, Unredeemed, settledLater, CancelledByBuyer] });

        var (_, result) = await h.PullAsync(From, To);

        result.Status.Should().Be(PullRunStatus.Succeeded);
        h.Fake.ReturnRequests.Should().OnlyContain(r => r["toDate"] == "2026-03-10");
        (await h.LedgerAsync()).ReturnMoney.Should().Be(500m + 40m + 950m + 30m + 2000m + 50m);
        result.MarketplacePayout.Should().Be(HandCheckedPayout);
        result.LedgerPayout.Should().Be(HandCheckedPayout);
    }

    [Fact]
    public async Task A_return_counted_while_in_progress_leaves_the_ledger_when_the_buyer_cancels_it()
    {
        var inProgress = CancelledByBuyer with { RefundStatus = "REFUND_IN_PROGRESS", UpdateDate = "2026-03-03T21:00:00+03:00" };
        await using var h = await YandexMarketPullHarness.StartAsync(database, HandChecked with { Returns = [DefectiveCap, Unredeemed, KettleBack, inProgress] });
        await h.PullAsync(From, To);
        (await h.LedgerAsync()).Returns.Should().Be(4);

        h.Fake.Data = HandChecked;
        var (_, later) = await h.PullAsync(From, To);

        later.Updated.Should().Be(1, "the return's refund status and update date changed");
        var ledger = await h.LedgerAsync();
        ledger.Returns.Should().Be(3, "a cancelled return refunded nothing and brought nothing back");
        (await h.SaleAsync("1001", "TEE-02"))!.Value.Revenue.Should().Be(1100m);
        later.LedgerPayout.Should().Be(HandCheckedPayout).And.Be(later.MarketplacePayout);
    }

    [Fact]
    public async Task A_method_Yandex_switched_off_fails_the_run_naming_the_method_and_stores_nothing()
    {
        await using var h = await YandexMarketPullHarness.StartAsync(database, Weeks);
        h.Fake.Retire("returns", 410);

        var (_, result) = await h.PullAsync(Start, End);

        result.Status.Should().Be(PullRunStatus.Failed);
        result.Error!.En.Should().Contain("Yandex Market no longer serves the method GET /v2/campaigns/{campaignId}/returns (HTTP 410)");
        (await h.SourceRowsAsync()).Should().Be(0);
        (await h.LedgerAsync()).Sales.Should().Be(0);
    }

    [Fact]
    public async Task A_restated_window_deletes_the_orders_and_services_Yandex_dropped_as_the_connector_declares_both_feeds_whole()
    {
        await using var h = await YandexMarketPullHarness.StartAsync(database, Weeks);
        (await h.PullAsync(Start, End)).Result.Reconciled.Should().BeTrue();
        var droppedOrder = Weeks.Orders.First(o => o.Status == "DELIVERED" && Weeks.Returns.All(r => r.OrderId != o.Id));
        var droppedService = Weeks.Services.First(x => x.OrderId is null);
        var restated = Weeks with
        {
            Orders = [.. Weeks.Orders.Where(o => o.Id != droppedOrder.Id)],
            Services = [.. Weeks.Services.Where(x => x != droppedService)],
        };
        h.Fake.Data = restated;

        var (_, result) = await h.PullAsync(Start, End);

        result.Succeeded.Should().BeTrue(result.Error?.En);
        result.Dropped.Should().Be(2, "the order and the service row Yandex no longer reports for the window");
        (await h.SaleAsync(droppedOrder.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), droppedOrder.Items[0].ShopSku!)).Should().BeNull();
        await using var reference = await YandexMarketPullHarness.StartAsync(database, restated);
        await reference.PullAsync(Start, End);
        (await h.LedgerAsync()).Figures().Should().Be((await reference.LedgerAsync()).Figures(), "the ledger is what a fresh pull of the restated reports makes");
        result.Reconciled.Should().BeTrue(result.Reconciliation?.En);
    }

    [Fact]
    public async Task A_services_report_that_fails_lands_the_orders_keeps_the_services_stored_before_and_says_so_in_both_languages()
    {
        await using var h = await YandexMarketPullHarness.StartAsync(database, Weeks);
        await h.PullAsync(Start, End);
        var before = await h.LedgerAsync();
        var droppedOrder = Weeks.Orders.First(o => o.Status == "DELIVERED" && Weeks.Returns.All(r => r.OrderId != o.Id));
        h.Fake.Data = Weeks with
        {
            Orders = [.. Weeks.Orders.Where(o => o.Id != droppedOrder.Id)],
            Services = [.. Weeks.Services.Skip(3)],
        };
        h.Fake.FailReports();

        var (_, result) = await h.PullAsync(Start, End);

        result.Succeeded.Should().BeTrue("the services failing never sinks the orders already read: {0}", result.Error?.En);
        result.Dropped.Should().Be(1, "only the order: nothing of the failed services feed is deleted");
        var after = await h.LedgerAsync();
        after.FeeAmount.Should().Be(before.FeeAmount, "the services stored before are kept");
        after.Sales.Should().Be(before.Sales - droppedOrder.Items.Count);
        var notice = result.Notices.Should().ContainSingle().Subject;
        notice.En.Should().StartWith("Yandex Market's services (storage, penalties and other charges) were not pulled: Yandex Market could not generate the services report")
            .And.EndWith("Orders and returns were pulled; services pulled before are kept as they were");
        notice.Ru.Should().StartWith("Услуги Яндекс Маркета (хранение, штрафы и другие начисления) не загружены: Яндекс Маркет не смог сформировать отчёт")
            .And.EndWith("Заказы и возвраты загружены; загруженные ранее услуги сохранены как были");
        var (status, lastError) = await h.ConnectionRowAsync();
        status.Should().Be("failing");
        LocalText.Decode(lastError).Should().Be(new LocalText(notice.En + " " + PullTexts.RetryByHand.En, notice.Ru + " " + PullTexts.RetryByHand.Ru));

        h.Fake.Heal();
        var (_, recovered) = await h.PullAsync(Start, End);
        recovered.Succeeded.Should().BeTrue();
        recovered.Dropped.Should().Be(3, "once the report can be read, the service rows Yandex dropped go");
        (await h.ConnectionRowAsync()).Should().Be(("healthy", (string?)null));
        recovered.Reconciled.Should().BeTrue(recovered.Reconciliation?.En);
    }
}
