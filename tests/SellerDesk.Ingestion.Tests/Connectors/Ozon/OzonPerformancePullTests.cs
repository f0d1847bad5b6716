using Npgsql;
using SellerDesk.Ingestion.Pulls;
using SellerDesk.Testing;
using SellerDesk.Testing.Marketplaces;
using static SellerDesk.Ingestion.Tests.Connectors.Ozon.OzonFixtures;

namespace SellerDesk.Ingestion.Tests.Connectors.Ozon;

/// <summary>The Performance API's rows pulled end to end by the pull runner into real PostgreSQL.</summary>
public sealed class OzonPerformancePullTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task A_pull_stores_campaign_spend_attribution_and_names_and_still_reconciles_the_payout()
    {
        await using var h = await OzonPullHarness.StartAsync(database, HandChecked);
        var day = From;
        h.Fake.Performance.Campaigns = [new FakeOzonCampaign("9001", "Кружки: поиск")];
        h.Fake.Performance.Statistics = [new FakeOzonStatistic("9001", day, Mug.Sku, Orders: 3, MoneySpent: 405.50m)];
        h.Fake.Performance.Expenses = [new FakeOzonExpense("9001", "Кружки: поиск", day, 405.50m)];
        var connection = h.Connection with { Credentials = new Dictionary<string, string>(h.Connection.Credentials) };
        FakeOzonPerformance.AddCredentials((IDictionary<string, string>)connection.Credentials);

        var result = await h.PullAsync(From, To, connection: connection);

        result.Status.Should().Be(PullRunStatus.Succeeded);
        result.LedgerPayout.Should().Be(result.MarketplacePayout, "ad spend is not payout: reconciliation is unchanged");
        (await RowsAsync(h, "SELECT channel || '|' || sku || '|' || orders FROM attribution_rows WHERE workspace_id = $1 AND source = $2"))
            .Should().Equal("ozon_adv_9001|MUG-01|3");
        (await RowsAsync(h, "SELECT channel || '|' || amount::text FROM ad_spend WHERE workspace_id = $1 AND source = $2"))
            .Should().Equal("ozon_adv_9001|405.50");
        (await RowsAsync(h, "SELECT channel || '|' || display_name FROM channel_names WHERE workspace_id = $1 AND $2::uuid IS NOT NULL"))
            .Should().Equal("ozon_adv_9001|Кружки: поиск");
    }

    private async Task<List<string>> RowsAsync(OzonPullHarness h, string sql)
    {
        var rows = new List<string>();
        await using var command = database.DataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = h.WorkspaceId });
        command.Parameters.Add(new NpgsqlParameter { Value = h.Connection.Id });
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }
}
