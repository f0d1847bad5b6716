using System.Globalization;
using Npgsql;
using SellerDesk.Ingestion.Connectors;
using SellerDesk.Ingestion.Connectors.Http;
using SellerDesk.Ingestion.Connectors.Ozon;
using SellerDesk.Ingestion.Files;
using SellerDesk.Ingestion.Pulls;
using SellerDesk.Testing.Marketplaces;
using SellerDesk.Ingestion.Tests.Pulls;
using SellerDesk.Testing;

namespace SellerDesk.Ingestion.Tests.Connectors.Ozon;

/// <summary>
/// A workspace with an Ozon connection pointed at a fake Ozon over real HTTP, a pull runner on a clock whose waits
/// take no time, and helpers to read what runs left.
/// </summary>
internal sealed class OzonPullHarness : IAsyncDisposable
{
    private readonly HttpClient _http = new();

    private OzonPullHarness(TestDatabase database, FakeOzon fake, OzonOptions options, Guid workspaceId, Guid connectionId)
    {
        Database = database;
        Fake = fake;
        WorkspaceId = workspaceId;
        Connector = new OzonConnector(new ResilientHttpSender(_http, Time, new Random(42)), options);
        Connection = fake.Connection(connectionId) with { WorkspaceId = workspaceId };
        Runner = new PullRunner(database.DataSource, ConnectorMarketplaces.NewLedgerWriter(database.DataSource), Time);
    }

    public TestDatabase Database { get; }

    public FakeOzon Fake { get; }

    public SkippingTimeProvider Time { get; } = new();

    public Guid WorkspaceId { get; }

    public OzonConnector Connector { get; }

    public ConnectionSettings Connection { get; }

    public PullRunner Runner { get; }

    public static async Task<OzonPullHarness> StartAsync(TestDatabase database, FakeOzonData data, OzonOptions? options = null)
    {
        var workspaceId = Guid.NewGuid();
        var connectionId = Guid.NewGuid();
        await PullHarness.ExecuteAsync(
            database, "INSERT INTO workspaces (id, name) VALUES ($1, $2)", workspaceId, "ozon " + workspaceId.ToString("N", CultureInfo.InvariantCulture));
        await PullHarness.ExecuteAsync(
            database,
            "INSERT INTO connections (id, workspace_id, marketplace, name, protected_credentials) VALUES ($1, $2, 'ozon', 'Ozon', 'protected')",
            connectionId,
            workspaceId);
        var fake = await FakeOzon.StartAsync(data);
        return new OzonPullHarness(database, fake, options ?? new OzonOptions { PostingLimit = 50, ReturnLimit = 20, AccrualPostingBatch = 100 }, workspaceId, connectionId);
    }

    /// <summary>Queues a run of the window and runs it (with <paramref name="connector"/> instead of <see cref="Connector"/> when given).</summary>
    public async Task<PullRunResult> PullAsync(DateOnly from, DateOnly to, IMarketplaceConnector? connector = null, ConnectionSettings? connection = null)
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
        return await Runner.RunAsync(runId, connection ?? Connection, connector ?? Connector, OzonHarness.Moscow, CancellationToken.None);
    }

    public async Task<(string Status, string? LastError)> ConnectionRowAsync()
    {
        await using var command = Database.DataSource.CreateCommand("SELECT status, last_error FROM connections WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = Connection.Id });
        await using var reader = await command.ExecuteReaderAsync();
        (await reader.ReadAsync()).Should().BeTrue();
        return (reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1));
    }

    /// <summary>Counts and sums of every ledger table of the workspace.</summary>
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

    /// <summary>Customer ids of the workspace's Ozon sales lines (null for lines without a buyer).</summary>
    public async Task<List<string?>> CustomerIdsAsync()
    {
        await using var command = Database.DataSource.CreateCommand(
            "SELECT customer_id FROM sales_lines WHERE workspace_id = $1 AND marketplace = 'ozon' ORDER BY order_id, line_id");
        command.Parameters.Add(new NpgsqlParameter { Value = WorkspaceId });
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new List<string?>();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.IsDBNull(0) ? null : reader.GetString(0));
        }

        return ids;
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
