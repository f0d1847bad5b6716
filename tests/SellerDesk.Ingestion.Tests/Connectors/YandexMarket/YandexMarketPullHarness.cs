using System.Globalization;
using Npgsql;
using SellerDesk.Ingestion.Connectors;
using SellerDesk.Ingestion.Connectors.Http;
using SellerDesk.Ingestion.Connectors.YandexMarket;
using SellerDesk.Ingestion.Files;
using SellerDesk.Ingestion.Pulls;
using SellerDesk.Testing.Marketplaces;
using SellerDesk.Ingestion.Tests.Pulls;
using SellerDesk.Testing;

namespace SellerDesk.Ingestion.Tests.Connectors.YandexMarket;

/// <summary>
/// A workspace with a Yandex Market connection pointed at a fake Yandex Market over real HTTP, a pull runner (with the
/// Yandex Market ledger payout strategy) on a clock whose waits take no time, and helpers to queue runs and read
/// what they left in the database. Modelled on <see cref="PullHarness"/>.
/// </summary>
internal sealed class YandexMarketPullHarness : IAsyncDisposable
{
    private readonly HttpClient _http = new();

    private YandexMarketPullHarness(TestDatabase database, FakeYandexMarket fake, YandexMarketOptions options, Guid workspaceId, Guid connectionId)
    {
        Database = database;
        Fake = fake;
        Fake.Now = Time.GetUtcNow;
        WorkspaceId = workspaceId;
        Connector = new YandexMarketConnector(new ResilientHttpSender(_http, Time, new Random(42)), options, Time);
        Connection = fake.Connection(connectionId) with { WorkspaceId = workspaceId };
        Runner = new PullRunner(database.DataSource, ConnectorMarketplaces.NewLedgerWriter(database.DataSource), Time);
    }

    public TestDatabase Database { get; }

    public FakeYandexMarket Fake { get; }

    public SkippingTimeProvider Time { get; } = new();

    public Guid WorkspaceId { get; }

    public YandexMarketConnector Connector { get; }

    public ConnectionSettings Connection { get; }

    public PullRunner Runner { get; }

    public static async Task<YandexMarketPullHarness> StartAsync(TestDatabase database, FakeYandexMarketData data, YandexMarketOptions? options = null)
    {
        var workspaceId = Guid.NewGuid();
        var connectionId = Guid.NewGuid();
        await PullHarness.ExecuteAsync(
            database,
            "INSERT INTO workspaces (id, name) VALUES ($1, $2)",
            workspaceId,
            "ym pulls " + workspaceId.ToString("N", CultureInfo.InvariantCulture));
        await PullHarness.ExecuteAsync(
            database,
            "INSERT INTO connections (id, workspace_id, marketplace, name, protected_credentials) VALUES ($1, $2, 'yandex_market', 'Yandex Market', 'protected')",
            connectionId,
            workspaceId);
        var fake = await FakeYandexMarket.StartAsync(data);
        return new YandexMarketPullHarness(
            database, fake, options ?? new YandexMarketOptions { OrdersLimit = 40, ReturnsLimit = 10 }, workspaceId, connectionId);
    }

    /// <summary>Queues a run of the window and runs it.</summary>
    public async Task<(Guid RunId, PullRunResult Result)> PullAsync(DateOnly from, DateOnly to)
    {
        var runId = Guid.NewGuid();
        await PullHarness.ExecuteAsync(
            Database,
            "INSERT INTO pull_runs (id, workspace_id, connection_id, trigger, status, period_from, period_to) VALUES ($1, $2, $3, 'manual', 'queued', $4, $5)",
            runId,
            WorkspaceId,
            Connection.Id,
            from,
            to);
        var result = await Runner.RunAsync(runId, Connection, Connector, YandexMarketFixtures.Moscow, CancellationToken.None);
        return (runId, result);
    }

    public async Task<(string Status, string? LastError)> ConnectionRowAsync()
    {
        await using var command = Database.DataSource.CreateCommand("SELECT status, last_error FROM connections WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = Connection.Id });
        await using var reader = await command.ExecuteReaderAsync();
        (await reader.ReadAsync()).Should().BeTrue();
        return (reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1));
    }

    /// <summary>Counts and sums of every ledger table of the workspace, to compare before and after.</summary>
    public async Task<LedgerSnapshot> LedgerAsync()
    {
        await using var command = Database.DataSource.CreateCommand(
            """
            SELECT
                (SELECT count(*) FROM sales_lines WHERE workspace_id = $1)::int,
                (SELECT coalesce(sum(revenue), 0) FROM sales_lines WHERE workspace_id = $1),
                (SELECT coalesce(sum(commission + logistics + acquiring + other_fees), 0) FROM sales_lines WHERE workspace_id = $1),
                (SELECT count(*) FROM returns WHERE workspace_id = $1)::int,
                (SELECT coalesce(sum(refund - commission_refund + return_logistics), 0) FROM returns WHERE workspace_id = $1),
                (SELECT count(*) FROM period_fees WHERE workspace_id = $1)::int,
                (SELECT coalesce(sum(amount), 0) FROM period_fees WHERE workspace_id = $1),
                (SELECT count(*) FROM ad_spend WHERE workspace_id = $1)::int,
                (SELECT coalesce(sum(amount), 0) FROM ad_spend WHERE workspace_id = $1),
                (SELECT ledger_version FROM workspaces WHERE id = $1)
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = WorkspaceId });
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new LedgerSnapshot(
            reader.GetInt32(0), reader.GetDecimal(1), reader.GetDecimal(2), reader.GetInt32(3), reader.GetDecimal(4),
            reader.GetInt32(5), reader.GetDecimal(6), reader.GetInt32(7), reader.GetDecimal(8), reader.GetInt64(9));
    }

    /// <summary>One stored sales line: revenue and the sum of its fees, and its customer.</summary>
    public async Task<(decimal Revenue, decimal Fees, string? CustomerId)?> SaleAsync(string orderId, string lineId)
    {
        await using var command = Database.DataSource.CreateCommand(
            """
            SELECT revenue, commission + logistics + acquiring + other_fees, customer_id FROM sales_lines
            WHERE workspace_id = $1 AND marketplace = 'yandex_market' AND order_id = $2 AND line_id = $3
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = WorkspaceId });
        command.Parameters.Add(new NpgsqlParameter { Value = orderId });
        command.Parameters.Add(new NpgsqlParameter { Value = lineId });
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync())
        {
            return null;
        }

        return (reader.GetDecimal(0), reader.GetDecimal(1), reader.IsDBNull(2) ? null : reader.GetString(2));
    }

    public async Task<long> SourceRowsAsync()
    {
        await using var command = Database.DataSource.CreateCommand("SELECT count(*) FROM source_rows WHERE connection_id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = Connection.Id });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await Fake.DisposeAsync();
    }
}
