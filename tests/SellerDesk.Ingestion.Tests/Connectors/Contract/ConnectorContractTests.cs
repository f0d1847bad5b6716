using SellerDesk.Domain.Ledger;
using SellerDesk.Ingestion.Connectors;

namespace SellerDesk.Ingestion.Tests.Connectors.Contract;

/// <summary>
/// The contract every marketplace connector keeps (docs/connectors/README.md, decision 0020), run against each one's
/// fake server by a class deriving from this one: paging, throttling (429), 5xx, 401, restatement, partial rows and
/// reconciliation. What differs per marketplace (which feeds, what the fake can be told) is in
/// <see cref="IContractMarketplace"/>; the expectations are the same for all.
/// </summary>
public abstract class ConnectorContractTests
{
    /// <summary>A connector wired to a fresh fake holding the contract's data.</summary>
    protected abstract Task<IContractMarketplace> StartAsync();

    [Fact]
    public async Task Paging_reads_every_row_once_over_several_pages()
    {
        await using var market = await StartAsync();

        var pages = await FetchPagesAsync(market);

        var rows = pages.SelectMany(p => p.Rows).ToList();
        market.Requests.Should().BeGreaterThan(2, "the data spans several pages");
        rows.Where(r => r.Feed == market.MainFeed).Should().HaveCountGreaterThan(1);
        rows.Select(r => (r.Feed, r.SourceId)).Should().OnlyHaveUniqueItems("no row is sent twice in one fetch");
        rows.Should().OnlyContain(r => r.BusinessDate != default && r.Payload.Length > 0);
        pages.Select(p => p.PagesRead).Should().BeInAscendingOrder();
        pages.Should().OnlyContain(p => p.FailedFeeds.Count == 0);
    }

    [Fact]
    public async Task Throttling_in_the_middle_of_paging_is_waited_out_and_loses_or_repeats_no_row()
    {
        var clean = await FetchCleanAsync();
        await using var market = await StartAsync();
        market.Throttle(2, after: 2);

        var rows = await FetchAsync(market);

        Keys(rows).Should().Equal(Keys(clean));
        market.Time.Delays.Should().NotBeEmpty("a throttled request is asked again after a wait");
    }

    [Fact]
    public async Task Throttling_that_outlasts_every_try_fails_the_fetch_as_throttled_in_both_languages()
    {
        await using var market = await StartAsync();
        market.Throttle(1000, after: 0);

        var fetch = () => FetchAsync(market);

        var failure = (await fetch.Should().ThrowAsync<ConnectorException>()).Which;
        failure.Failure.Should().Be(ConnectorFailure.Throttled);
        ShouldBeBilingual(failure);
    }

    [Fact]
    public async Task A_few_5xx_in_the_middle_of_paging_are_ridden_out_and_lose_or_repeat_no_row()
    {
        var clean = await FetchCleanAsync();
        await using var market = await StartAsync();
        market.Fail(2, status: 503, after: 2);

        var rows = await FetchAsync(market);

        Keys(rows).Should().Equal(Keys(clean));
    }

    [Fact]
    public async Task Repeated_5xx_fail_the_fetch_as_unavailable_in_both_languages_after_backing_off()
    {
        await using var market = await StartAsync();
        market.Fail(1000, status: 500, after: 0);

        var fetch = () => FetchAsync(market);

        var failure = (await fetch.Should().ThrowAsync<ConnectorException>()).Which;
        failure.Failure.Should().Be(ConnectorFailure.Unavailable);
        ShouldBeBilingual(failure);
        market.Time.Delays.Should().HaveCountGreaterThan(1);
        market.Time.Delays.Take(3).Should().BeInAscendingOrder("the waits of one request grow between its tries");
    }

    [Fact]
    public async Task Rejected_credentials_stop_the_fetch_at_the_first_request_as_unauthorized_in_both_languages()
    {
        await using var market = await StartAsync();
        market.Revoke();

        var fetch = () => FetchAsync(market);

        var failure = (await fetch.Should().ThrowAsync<ConnectorException>()).Which;
        failure.Failure.Should().Be(ConnectorFailure.Unauthorized);
        ShouldBeBilingual(failure);
        market.Requests.Should().Be(1, "a rejected token is not tried again");
        market.Time.Delays.Should().BeEmpty();
    }

    [Fact]
    public async Task A_restated_window_sends_changed_rows_under_their_ids_leaves_out_dropped_ones_and_declares_their_feed_whole()
    {
        await using var market = await StartAsync();
        var before = await FetchPagesAsync(market);
        var restatement = market.Restate();

        var after = await FetchPagesAsync(market);

        var rowsBefore = before.SelectMany(p => p.Rows).ToList();
        var rowsAfter = after.SelectMany(p => p.Rows).ToList();
        rowsBefore.Should().Contain(r => r.Feed == restatement.DroppedFeed && r.SourceId == restatement.DroppedId);
        rowsAfter.Should().NotContain(r => r.Feed == restatement.DroppedFeed && r.SourceId == restatement.DroppedId);
        after.SelectMany(p => p.CompletedFeeds).Should().Contain(restatement.DroppedFeed,
            "the runner deletes a dropped row only from a feed the connector declares whole for the window");
        var changedBefore = rowsBefore.Single(r => r.Feed == restatement.ChangedFeed && r.SourceId == restatement.ChangedId);
        var changedAfter = rowsAfter.Single(r => r.Feed == restatement.ChangedFeed && r.SourceId == restatement.ChangedId);
        changedAfter.Payload.Should().NotBe(changedBefore.Payload, "the restated row replaces the stored one under the same id");
        ShouldReconcile(market.Connector, rowsAfter);
    }

    [Fact]
    public async Task Partial_rows_are_kept_and_mapped_by_a_stated_rule_or_a_gap_so_the_payout_still_reconciles()
    {
        var clean = await FetchCleanAsync();
        await using var market = await StartAsync();
        market.ServePartialRows();

        var rows = await FetchAsync(market);

        Keys(rows).Should().Contain(Keys(clean), "a partial row never costs the rest of the fetch");
        ShouldReconcile(market.Connector, rows);
    }

    [Fact]
    public async Task The_ledger_and_its_gaps_reconcile_with_the_marketplaces_own_payout_in_total_and_per_order()
    {
        await using var market = await StartAsync();
        var rows = await FetchAsync(market);

        ShouldReconcile(market.Connector, rows);
        var ledger = market.Connector.Map(rows, TimeZoneInfo.Utc);
        var checkedOrders = 0;
        foreach (var order in rows.Where(r => r.OrderKey is not null).GroupBy(r => r.OrderKey!).Take(20))
        {
            var sales = ledger.Sales.Where(s => s.OrderId == order.Key);
            var returns = ledger.Returns.Where(r => r.OrderId == order.Key);
            if (!sales.Any() && !returns.Any())
            {
                continue; // an order with no ledger row is booked on its dates (the contract's period rule)
            }

            checkedOrders++;
            var gaps = ledger.Gaps.Where(g => g.OrderKey == order.Key).Sum(g => g.PayoutEffect);
            (Payout.Of(sales, returns, []) + gaps).Should().Be(
                market.Connector.MarketplacePayout([.. order]) ?? 0m, "order {0} reconciles on its own", order.Key);
        }

        checkedOrders.Should().BePositive("the data has orders with ledger rows");
    }

    private static void ShouldReconcile(IMarketplaceConnector connector, IReadOnlyList<SourceRow> rows)
    {
        var ledger = connector.Map(rows, TimeZoneInfo.Utc);
        var marketplace = connector.MarketplacePayout(rows);
        marketplace.Should().NotBeNull("the marketplace gives a payout figure for these rows");
        (Payout.Of(ledger.Sales, ledger.Returns, ledger.Fees) + ledger.Gaps.Sum(g => g.PayoutEffect)).Should().Be(
            marketplace!.Value, "marketplace payout = ledger payout + gaps, to the kopeck");
    }

    private static void ShouldBeBilingual(ConnectorException failure)
    {
        failure.Text.En.Should().NotBeNullOrWhiteSpace();
        failure.Text.Ru.Should().NotBeNullOrWhiteSpace().And.NotBe(failure.Text.En).And.MatchRegex("[А-Яа-яЁё]");
    }

    private static List<(string Feed, string SourceId)> Keys(IEnumerable<SourceRow> rows) =>
        [.. rows.Select(r => (r.Feed, r.SourceId)).Order()];

    private async Task<List<SourceRow>> FetchCleanAsync()
    {
        await using var market = await StartAsync();
        return await FetchAsync(market);
    }

    private static async Task<List<SourceRow>> FetchAsync(IContractMarketplace market) =>
        [.. (await FetchPagesAsync(market)).SelectMany(p => p.Rows)];

    private static async Task<List<SourcePage>> FetchPagesAsync(IContractMarketplace market)
    {
        var pages = new List<SourcePage>();
        await foreach (var page in market.Connector.FetchAsync(market.Connection, market.Window, CancellationToken.None))
        {
            pages.Add(page);
        }

        return pages;
    }
}
