using Npgsql;
using SellerDesk.Ingestion.Pulls;
using SellerDesk.Ingestion.Tests.Pulls;
using SellerDesk.Testing;
using SellerDesk.Testing.Marketplaces;

namespace SellerDesk.Ingestion.Tests.Connectors.Wildberries;

/// <summary>
/// Wildberries campaign statistics pulled end to end by the pull runner into real PostgreSQL: attribution rows and
/// ad spend on the campaign's channel, its name stored without replacing the seller's, a restatement of the
/// statistics, and the connection's old <c>wb_ads</c> rows restated once after migration 0017.
/// </summary>
public sealed class WildberriesAttributionPullTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static readonly DateOnly Start = new(2026, 2, 1);
    private static readonly DateOnly End = Start.AddDays(6);
    private static readonly FakeWildberriesReport Week = FakeWildberriesReport.Generate(Start, days: 7, ordersPerDay: 10, seed: 3);

    /// <summary>The generated week's campaigns 501 and 502 with statistics: 501 claims 40 orders of one product on the first day.</summary>
    private static FakeWildberriesReport WithStatistics()
    {
        var line = Week.Lines.First(l => l.SupplierOperName == "Продажа" && l.NmId is > 0 && !string.IsNullOrEmpty(l.SaName));
        return Week
            .WithCampaigns(new FakeWbCampaign(501, "Поиск: кружки"), new FakeWbCampaign(502, "Каталог"))
            .WithStatistics(
                new FakeWbStatistic(501, Start, line.NmId!.Value, Orders: 40, Sum: 300m),
                new FakeWbStatistic(502, Start.AddDays(1), line.NmId!.Value, Orders: 1, Sum: 50m, AppType: 1),
                new FakeWbStatistic(502, Start.AddDays(1), line.NmId!.Value, Orders: 2, Sum: 70m, AppType: 64));
    }

    [Fact]
    public async Task A_pull_stores_attribution_and_spend_on_the_campaign_channel_names_it_once_and_a_restatement_replaces_the_rows()
    {
        var report = WithStatistics();
        var sku = Week.Lines.First(l => l.SupplierOperName == "Продажа" && l.NmId is > 0 && !string.IsNullOrEmpty(l.SaName)).SaName;
        await using var h = await PullHarness.StartAsync(database, report);
        await PullHarness.ExecuteAsync(database, "INSERT INTO channel_names (workspace_id, channel, display_name) VALUES ($1, 'wb_adv_502', 'Мой каталог')", h.WorkspaceId);

        var (_, result) = await h.PullAsync(Start, End);

        result.Status.Should().Be(PullRunStatus.Succeeded);
        (await AttributionAsync(h)).Should().Equal(
            (Start, "wb_adv_501", sku, 40),
            (Start.AddDays(1), "wb_adv_502", sku, 3));
        (await NamesAsync(h)).Should().Equal(("wb_adv_501", "Поиск: кружки"), ("wb_adv_502", "Мой каталог"));
        var spend = await SpendAsync(h);
        spend.Select(s => s.Channel).Distinct().Should().BeSubsetOf(["wb_adv_501", "wb_adv_502"]);
        spend.Sum(s => s.Amount).Should().Be(Week.AdCharges.Sum(c => c.UpdSum));

        h.Fake.Report = report.RestateStatistics([new FakeWbStatistic(501, Start, report.Statistics[0].NmId, Orders: 2, Sum: 300m)]);
        var (_, restated) = await h.PullAsync(Start, End);

        restated.Status.Should().Be(PullRunStatus.Succeeded);
        (await AttributionAsync(h)).Should().Equal([(Start, "wb_adv_501", sku, 2)], "the dropped row goes and the changed one is replaced, never added");
    }

    [Fact]
    public async Task Old_wb_ads_rows_of_the_connection_are_restated_onto_campaign_channels_once_and_files_rows_stay()
    {
        await using var h = await PullHarness.StartAsync(database, Week);
        await h.PullAsync(Start, End);
        var total = Week.AdCharges.Sum(c => c.UpdSum);
        // The ledger as the connector before issue 14 left it: the same spend on wb_ads, and a file's wb_ads row.
        await PullHarness.ExecuteAsync(database, "DELETE FROM ad_spend WHERE workspace_id = $1", h.WorkspaceId);
        foreach (var day in Week.AdCharges.GroupBy(c => c.Date))
        {
            await PullHarness.ExecuteAsync(
                database,
                "INSERT INTO ad_spend (workspace_id, date, marketplace, channel, amount, source) VALUES ($1, $2, 'wildberries', 'wb_ads', $3, $4)",
                h.WorkspaceId, day.Key, day.Sum(c => c.UpdSum), h.Connection.Id);
        }

        await PullHarness.ExecuteAsync(
            database,
            "INSERT INTO ad_spend (workspace_id, date, marketplace, channel, amount, source) VALUES ($1, $2, 'wildberries', 'wb_ads', 99, $3)",
            h.WorkspaceId, Start, Guid.Empty);
        await PullHarness.ExecuteAsync(database, MigrationStatement(), []);
        var later = End.AddDays(1);

        var (_, result) = await h.PullAsync(later, later);

        result.Status.Should().Be(PullRunStatus.Succeeded);
        var spend = await SpendAsync(h);
        spend.Where(s => s.Source == h.Connection.Id).Should().OnlyContain(s => s.Channel.StartsWith("wb_adv_", StringComparison.Ordinal), "a run of another window derived the migrated dates again");
        spend.Where(s => s.Source == h.Connection.Id).Sum(s => s.Amount).Should().Be(total, "restated, not counted twice");
        spend.Where(s => s.Source == Guid.Empty).Should().Equal([(Start, "wb_ads", 99m, Guid.Empty)], "a file's row is not the connection's to restate");
    }

    /// <summary>
    /// The statement of migration 0017, run again on rows stored after the test database was migrated; the pending
    /// dates it fills name their workspace since migration 0024, so that column is added as 0024 fills it.
    /// </summary>
    private static string MigrationStatement()
    {
        var text = File.ReadAllText(Path.Combine(SharedExamples.Folder, "..", "..", "src", "SellerDesk.Data", "Migrations", "0017_wb_campaign_channels.sql"));
        var statement = string.Join('\n', text.Split('\n').Where(l => !l.StartsWith("--", StringComparison.Ordinal)));
        const string Columns = "INSERT INTO source_pending_dates (connection_id, business_date)\nSELECT DISTINCT s.connection_id,";
        statement.Should().Contain(Columns);
        return statement.Replace(
            Columns,
            "INSERT INTO source_pending_dates (workspace_id, connection_id, business_date)\nSELECT DISTINCT c.workspace_id, s.connection_id,",
            StringComparison.Ordinal);
    }

    private async Task<List<(DateOnly Date, string Channel, string Sku, int Orders)>> AttributionAsync(PullHarness h)
    {
        var rows = new List<(DateOnly, string, string, int)>();
        await using var command = database.DataSource.CreateCommand(
            "SELECT date, channel, sku, orders FROM attribution_rows WHERE workspace_id = $1 AND source = $2 ORDER BY date, channel, sku");
        command.Parameters.Add(new NpgsqlParameter { Value = h.WorkspaceId });
        command.Parameters.Add(new NpgsqlParameter { Value = h.Connection.Id });
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetFieldValue<DateOnly>(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3)));
        }

        return rows;
    }

    private async Task<List<(string Channel, string Name)>> NamesAsync(PullHarness h)
    {
        var rows = new List<(string, string)>();
        await using var command = database.DataSource.CreateCommand("SELECT channel, display_name FROM channel_names WHERE workspace_id = $1 ORDER BY channel");
        command.Parameters.Add(new NpgsqlParameter { Value = h.WorkspaceId });
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), reader.GetString(1)));
        }

        return rows;
    }

    private async Task<List<(DateOnly Date, string Channel, decimal Amount, Guid Source)>> SpendAsync(PullHarness h)
    {
        var rows = new List<(DateOnly, string, decimal, Guid)>();
        await using var command = database.DataSource.CreateCommand(
            "SELECT date, channel, amount, source FROM ad_spend WHERE workspace_id = $1 ORDER BY date, channel, source");
        command.Parameters.Add(new NpgsqlParameter { Value = h.WorkspaceId });
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetFieldValue<DateOnly>(0), reader.GetString(1), reader.GetDecimal(2), reader.GetGuid(3)));
        }

        return rows;
    }
}
