using System.Runtime.CompilerServices;
using SellerDesk.Data;
using SellerDesk.Domain.Ledger;
using SellerDesk.Ingestion.Connectors;
using SellerDesk.Ingestion.Connectors.Common;
using SellerDesk.Ingestion.Pulls;
using SellerDesk.Testing;

namespace SellerDesk.Ingestion.Tests.Pulls;

/// <summary>
/// Reconciliation compares two independent sides (issue 8, point 4): the marketplace's own payout over the raw rows it
/// sent, and the payout of the ledger rows the reports read, by the domain's one rule, plus the gaps. It can fail: a
/// ledger row changed or removed behind the runner's back, or a line mapped wrongly, makes the run say by how much the
/// ledger differs and where.
/// </summary>
public sealed class ReconciliationTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static readonly DateTimeOffset Now = new(2026, 3, 31, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Today = new(2026, 3, 31);

    [Fact]
    public async Task A_ledger_line_altered_behind_the_runners_back_makes_the_next_run_differ_by_that_amount_and_name_its_order()
    {
        var w = await PullWorkspace.CreateAsync(database, Now);
        var shop = await w.SandboxAsync(41);
        (await w.PullAsync(shop, w.Sandbox(), Today.AddDays(-13), Today)).Result.Reconciled.Should().BeTrue();
        var line = (await w.LedgerAsync(LedgerSource.Connection(shop.Id))).Sales[3];
        await w.ExecuteAsync(
            "UPDATE sales_lines SET revenue = revenue + 123.45 WHERE workspace_id = $1 AND order_id = $2 AND line_id = $3", w.Id, line.OrderId, line.LineId);

        var (runId, result) = await w.PullAsync(shop, w.Sandbox(), Today.AddDays(-13), Today);

        result.Succeeded.Should().BeTrue();
        result.Reconciled.Should().BeFalse();
        (result.LedgerPayout - result.MarketplacePayout).Should().Be(123.45m);
        result.DifferingOrders.Should().Equal((line.OrderId, 123.45m));
        result.DifferingDates.Should().BeEmpty();
        result.Reconciliation!.En.Should().StartWith("The ledger differs from the marketplace by 123.45 ₽")
            .And.Contain($"orders {line.OrderId} (+123.45 ₽)");
        result.Reconciliation.Ru.Should().StartWith("Учёт расходится с маркетплейсом на 123,45 ₽")
            .And.Contain($"заказы {line.OrderId} (+123,45 ₽)");
        LocalText.Decode(await w.ScalarAsync<string>("SELECT reconciliation FROM pull_runs WHERE id = $1", runId)).Should().Be(result.Reconciliation);
    }

    [Fact]
    public async Task A_ledger_return_removed_behind_the_runners_back_is_named_with_its_order()
    {
        var w = await PullWorkspace.CreateAsync(database, Now);
        var shop = await w.SandboxAsync(42);
        await w.PullAsync(shop, w.Sandbox(), Today.AddDays(-30), Today);
        var returned = (await w.LedgerAsync(LedgerSource.Connection(shop.Id))).Returns.First(r => r.ReturnedAt > Now.AddDays(-10));
        await w.ExecuteAsync(
            "DELETE FROM returns WHERE workspace_id = $1 AND order_id = $2 AND return_id = $3", w.Id, returned.OrderId, returned.ReturnId);

        var (_, result) = await w.PullAsync(shop, w.Sandbox(), Today.AddDays(-10), Today);

        result.Reconciled.Should().BeFalse();
        result.DifferingOrders.Should().Equal((returned.OrderId, -Payout.Of(returned)));
        result.Reconciliation!.En.Should().Contain(returned.OrderId);
    }

    [Fact]
    public async Task A_period_fee_altered_behind_the_runners_back_names_its_date()
    {
        var w = await PullWorkspace.CreateAsync(database, Now);
        var shop = await w.SandboxAsync(43);
        await w.PullAsync(shop, w.Sandbox(), Today.AddDays(-6), Today);
        var day = Today.AddDays(-4);
        await w.ExecuteAsync("UPDATE period_fees SET amount = amount + 10 WHERE workspace_id = $1 AND date = $2", w.Id, day);

        var (_, result) = await w.PullAsync(shop, w.Sandbox(), Today.AddDays(-6), Today);

        result.DifferingDates.Should().Equal((day, -10m));
        result.DifferingOrders.Should().BeEmpty();
        result.Reconciliation!.En.Should().Contain("dates 2026-03-27 (−10.00 ₽)");
        result.Reconciliation.Ru.Should().Contain("даты 27.03.2026 (−10,00 ₽)");
    }

    [Fact]
    public async Task A_connector_that_maps_an_order_wrongly_is_caught_and_the_order_named()
    {
        var w = await PullWorkspace.CreateAsync(database, Now);
        var shop = await w.SandboxAsync(44);
        var rows = await SourceOwnershipTests.FetchAsync(w.Sandbox(), shop, Today.AddDays(-6), Today);
        var victim = rows.First(r => r.Feed == "sandbox.orders").OrderKey!;
        var wrong = new MisMappingConnector(w.Sandbox(), victim);

        var (_, result) = await w.PullAsync(shop, wrong, Today.AddDays(-6), Today);

        result.Succeeded.Should().BeTrue();
        result.MarketplacePayout.Should().Be(w.Sandbox().MarketplacePayout(rows), "the marketplace side comes from the raw rows");
        result.DifferingOrders.Should().Equal((victim, -10m));
        result.Reconciliation!.En.Should().StartWith("The ledger differs from the marketplace by 10.00 ₽").And.Contain(victim);
    }

    [Fact]
    public async Task Rows_that_cannot_be_mapped_are_kept_with_their_raw_content_counted_told_and_retired_when_their_order_arrives()
    {
        var w = await PullWorkspace.CreateAsync(database, Now);
        var shop = await w.SandboxAsync(45);

        var (runId, first) = await w.PullAsync(shop, w.Sandbox(), Today.AddDays(-10), Today);

        // Returns in the window of orders placed before it wait for their orders.
        first.Reconciled.Should().BeTrue(first.Reconciliation?.En);
        first.UnmappedPayout.Should().BeNegative();
        var gaps = await w.ScalarAsync<long>("SELECT count(*) FROM pull_gaps WHERE run_id = $1 AND is_current", runId);
        gaps.Should().BeGreaterThan(0);
        first.Notices.Should().ContainSingle().Which.En.Should().Be(
            PullTexts.Unmapped((int)gaps, first.UnmappedPayout!.Value).En);
        var payloads = await w.ScalarAsync<string[]>("SELECT array_agg(p) FROM pull_gaps, unnest(payloads) AS p WHERE run_id = $1", runId);
        payloads.Should().OnlyContain(p => p.Contains("\"return_id\"", StringComparison.Ordinal), "each gap keeps its raw return row");
        first.LedgerPayout.Should().Be(first.MarketplacePayout, "gaps count on the ledger side");

        var (_, earlier) = await w.PullAsync(shop, w.Sandbox(), Today.AddDays(-25), Today.AddDays(-11));
        earlier.Reconciled.Should().BeTrue(earlier.Reconciliation?.En);
        (await w.ScalarAsync<long>("SELECT count(*) FROM pull_gaps WHERE run_id = $1 AND is_current", runId))
            .Should().Be(0, "their orders arrived: the returns are in the ledger now");

        var (_, again) = await w.PullAsync(shop, w.Sandbox(), Today.AddDays(-10), Today);
        again.Notices.Should().BeEmpty();
        again.UnmappedPayout.Should().Be(0m);
        again.Reconciled.Should().BeTrue();
    }

    /// <summary>The sandbox, but mapping one order's commission 10 roubles too high: a mapping error to be caught.</summary>
    private sealed class MisMappingConnector(IMarketplaceConnector inner, string victim) : IMarketplaceConnector
    {
        public string Marketplace => inner.Marketplace;

        public IAsyncEnumerable<SourcePage> FetchAsync(ConnectionSettings connection, PullWindow window, CancellationToken cancellationToken) =>
            Pass(connection, window, cancellationToken);

        public DerivedLedger Map(IReadOnlyList<SourceRow> rows, TimeZoneInfo zone)
        {
            var ledger = inner.Map(rows, zone);
            var first = true;
            var sales = ledger.Sales.Select(s =>
            {
                if (s.OrderId != victim || !first)
                {
                    return s;
                }

                first = false;
                return s with { Commission = s.Commission + 10m };
            }).ToList();
            return ledger with { Sales = sales };
        }

        public decimal? MarketplacePayout(IReadOnlyList<SourceRow> rows) => inner.MarketplacePayout(rows);

        private async IAsyncEnumerable<SourcePage> Pass(ConnectionSettings connection, PullWindow window, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await foreach (var page in inner.FetchAsync(connection, window, cancellationToken))
            {
                yield return page;
            }
        }
    }
}
