using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using SellerDesk.Data.Ledger;
using SellerDesk.Ingestion.Connectors;
using SellerDesk.Ingestion.Connectors.Common;
using SellerDesk.Testing;

namespace SellerDesk.Ingestion.Tests.Pulls;

/// <summary>
/// Attribution rows pulled with a connection's other feeds (metrics.md 3.1, issue 14): <see cref="LedgerBuilder.Attribution"/>
/// rows land as the connection's own, derived per date; a restated statistics feed declared whole replaces the
/// connection's rows of the window's dates (a campaign dropped goes, a changed count is updated, nothing doubles),
/// dates outside the window stay, and files' and other connections' rows are never touched.
/// </summary>
public sealed class AttributionPullTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static readonly DateTimeOffset Now = new(2026, 3, 31, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Day1 = new(2026, 3, 20);
    private static readonly DateOnly Day2 = Day1.AddDays(1);

    [Fact]
    public async Task A_restated_campaign_report_replaces_the_connections_rows_and_leaves_every_other_sources_rows()
    {
        var w = await PullWorkspace.CreateAsync(database, Now);
        var a = await w.SandboxAsync(7, "Shop A");
        var b = await w.SandboxAsync(8, "Shop B");
        var statsA = new CampaignStatsConnector(w.Sandbox())
        {
            Stats =
            [
                new(Day1, "camp_a", "MUG-01", 2, "a1"),
                new(Day1, "camp_b", "MUG-01", 1, "b1"),
                new(Day2, "camp_a", "MUG-01", 1, "a2"),
                new(Day2, "camp_a", "MUG-01", 2, "a2-app"), // the same campaign, SKU and day on another platform: adds up
            ],
        };
        var statsB = new CampaignStatsConnector(w.Sandbox()) { Stats = [new(Day1, "camp_a", "MUG-01", 5, "x1")] };
        (await w.ImportAsync(LedgerFileKind.Attribution, "date,marketplace,channel,sku,orders\n2026-03-20,sandbox,camp_a,MUG-01,7\n")).Succeeded.Should().BeTrue();
        var (runB, pulledB) = await w.PullAsync(b, statsB, Day1, Day2);
        pulledB.Succeeded.Should().BeTrue();

        var (run1, first) = await w.PullAsync(a, statsA, Day1, Day2);

        first.Succeeded.Should().BeTrue();
        (await RowsAsync(w)).Should().BeEquivalentTo(new[]
        {
            new Row(Day1, "camp_a", 2, a.Id, run1, "a1"),
            new Row(Day1, "camp_b", 1, a.Id, run1, "b1"),
            new Row(Day2, "camp_a", 3, a.Id, run1, "a2,a2-app"),
            new Row(Day1, "camp_a", 5, b.Id, runB, "x1"),
            new Row(Day1, "camp_a", 7, Guid.Empty, null, null),
        });

        // The same report again: nothing doubles, nothing changes (not even the provenance of unchanged rows).
        var before = await RowsAsync(w);
        var (_, again) = await w.PullAsync(a, statsA, Day1, Day2);
        again.Succeeded.Should().BeTrue();
        (await RowsAsync(w)).Should().BeEquivalentTo(before);

        // The marketplace restates day 1: camp_a now 3 orders, camp_b gone.
        statsA.Stats = [new(Day1, "camp_a", "MUG-01", 3, "a1"), new(Day2, "camp_a", "MUG-01", 1, "a2"), new(Day2, "camp_a", "MUG-01", 2, "a2-app")];
        var (run3, restated) = await w.PullAsync(a, statsA, Day1, Day2);

        restated.Succeeded.Should().BeTrue();
        (await RowsAsync(w)).Should().BeEquivalentTo(new[]
        {
            new Row(Day1, "camp_a", 3, a.Id, run3, "a1"),
            new Row(Day2, "camp_a", 3, a.Id, run1, "a2,a2-app"),
            new Row(Day1, "camp_a", 5, b.Id, runB, "x1"),
            new Row(Day1, "camp_a", 7, Guid.Empty, null, null),
        }, "the changed count is updated by the run that changed it, the dropped campaign goes, other sources' rows stay");

        // A pull of day 2 alone, where the report now lists nothing, empties day 2 and leaves day 1.
        statsA.Stats = [new(Day1, "camp_a", "MUG-01", 3, "a1")];
        (await w.PullAsync(a, statsA, Day2, Day2)).Result.Succeeded.Should().BeTrue();
        (await RowsAsync(w)).Select(r => (r.Date, r.Channel, r.Orders, r.Source)).Should().BeEquivalentTo(new[]
        {
            (Day1, "camp_a", 3, a.Id),
            (Day1, "camp_a", 5, b.Id),
            (Day1, "camp_a", 7, Guid.Empty),
        });
    }

    [Fact]
    public async Task A_deleted_connections_attribution_goes_with_it_or_is_kept_as_files_adding_up_with_a_files_row()
    {
        var w = await PullWorkspace.CreateAsync(database, Now);
        var a = await w.SandboxAsync(7, "Shop A");
        var b = await w.SandboxAsync(8, "Shop B");
        (await w.ImportAsync(LedgerFileKind.Attribution, "date,marketplace,channel,sku,orders\n2026-03-20,sandbox,camp_a,MUG-01,7\n")).Succeeded.Should().BeTrue();
        await w.PullAsync(a, new CampaignStatsConnector(w.Sandbox()) { Stats = [new(Day1, "camp_a", "MUG-01", 2, "a1")] }, Day1, Day2);
        await w.PullAsync(b, new CampaignStatsConnector(w.Sandbox()) { Stats = [new(Day1, "camp_a", "MUG-01", 5, "x1"), new(Day2, "camp_b", "MUG-01", 1, "x2")] }, Day1, Day2);

        await using (var session = await w.Database.DataSource.OpenConnectionAsync())
        {
            (await Connections.ConnectionData.DeleteAsync(session, w.Id, a.Id, Connections.ConnectionDataChoice.Remove, CancellationToken.None)).Should().BeTrue();
            (await Connections.ConnectionData.DeleteAsync(session, w.Id, b.Id, Connections.ConnectionDataChoice.Keep, CancellationToken.None)).Should().BeTrue();
        }

        (await RowsAsync(w)).Select(r => (r.Date, r.Channel, r.Orders, r.Source)).Should().BeEquivalentTo(new[]
        {
            (Day1, "camp_a", 12, Guid.Empty),
            (Day2, "camp_b", 1, Guid.Empty),
        }, "A's rows went with it; B's were handed to files, its camp_a orders added to the file's row of that key");
    }

    private static async Task<List<Row>> RowsAsync(PullWorkspace w)
    {
        await using var command = w.Database.DataSource.CreateCommand(
            "SELECT date, channel, orders, source, run_id, source_row_id FROM attribution_rows WHERE workspace_id = $1 AND marketplace = 'sandbox'");
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = w.Id });
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<Row>();
        while (await reader.ReadAsync())
        {
            rows.Add(new Row(
                reader.GetFieldValue<DateOnly>(0), reader.GetString(1), reader.GetInt32(2), reader.GetGuid(3),
                reader.IsDBNull(4) ? null : reader.GetGuid(4), reader.IsDBNull(5) ? null : reader.GetString(5)));
        }

        return rows;
    }

    private sealed record Row(DateOnly Date, string Channel, int Orders, Guid Source, Guid? RunId, string? SourceRowId);

    /// <summary>One row of a marketplace's campaign statistics: orders of a SKU a campaign drove on a day.</summary>
    private sealed record CampaignStat(DateOnly Date, string Campaign, string Sku, int Orders, string Id);

    /// <summary>
    /// The sandbox with a campaign statistics feed of its own: rows of <see cref="Stats"/> dated in the window, the feed
    /// declared whole for it (asked for by date), mapped with <see cref="LedgerBuilder.Attribution"/>.
    /// </summary>
    private sealed class CampaignStatsConnector(IMarketplaceConnector sandbox) : IMarketplaceConnector
    {
        public const string Feed = "sandbox.campaign_stats";

        public IReadOnlyList<CampaignStat> Stats { get; set; } = [];

        public string Marketplace => sandbox.Marketplace;

        public async IAsyncEnumerable<SourcePage> FetchAsync(
            ConnectionSettings connection, PullWindow window, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            var pages = 0;
            await foreach (var page in sandbox.FetchAsync(connection, window, cancellationToken))
            {
                pages = page.PagesRead;
                yield return page;
            }

            var rows = Stats.Where(s => s.Date >= window.From && s.Date <= window.To)
                .Select(s => new SourceRow(Feed, s.Id, null, s.Date, JsonSerializer.Serialize(s)))
                .ToList();
            yield return new SourcePage(rows, pages + 1) { CompletedFeeds = [Feed] };
        }

        public DerivedLedger Map(IReadOnlyList<SourceRow> rows, TimeZoneInfo zone)
        {
            var ledger = sandbox.Map([.. rows.Where(r => r.Feed != Feed)], zone);
            var builder = new LedgerBuilder(Marketplace);
            foreach (var row in rows.Where(r => r.Feed == Feed))
            {
                var stat = JsonSerializer.Deserialize<CampaignStat>(row.Payload)!;
                builder.Attribution(stat.Date, stat.Campaign, stat.Sku, stat.Orders, row.SourceId, row.Feed);
            }

            var attribution = builder.Build();
            return ledger with { Attribution = attribution.Attribution, AttributionOrigins = attribution.AttributionOrigins };
        }

        public decimal? MarketplacePayout(IReadOnlyList<SourceRow> rows) => sandbox.MarketplacePayout([.. rows.Where(r => r.Feed != Feed)]);

        public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Feed} ({Stats.Count} rows)");
    }
}
