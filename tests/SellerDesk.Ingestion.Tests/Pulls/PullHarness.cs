using System.Globalization;
using System.Runtime.CompilerServices;
using Npgsql;
using SellerDesk.Ingestion.Connectors;
using SellerDesk.Ingestion.Connectors.Http;
using SellerDesk.Ingestion.Connectors.Wildberries;
using SellerDesk.Ingestion.Files;
using SellerDesk.Ingestion.Pulls;
using SellerDesk.Testing.Marketplaces;
using SellerDesk.Testing;

namespace SellerDesk.Ingestion.Tests.Pulls;

/// <summary>
/// A workspace with a Wildberries connection pointed at a fake Wildberries over real HTTP, a pull runner on a clock
/// whose waits take no time, and helpers to queue runs and read what they left in the database.
/// </summary>
internal sealed class PullHarness : IAsyncDisposable
{
    public static readonly TimeZoneInfo Moscow = TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow");

    private readonly HttpClient _http = new();

    private PullHarness(TestDatabase database, FakeWildberries fake, WildberriesOptions options, Guid workspaceId, Guid connectionId)
    {
        Database = database;
        Fake = fake;
        WorkspaceId = workspaceId;
        Connector = new WildberriesConnector(new ResilientHttpSender(_http, Time, new Random(42)), options);
        Connection = fake.Connection(connectionId) with { WorkspaceId = workspaceId };
        Runner = new PullRunner(database.DataSource, ConnectorMarketplaces.NewLedgerWriter(database.DataSource), Time);
    }

    public TestDatabase Database { get; }

    public FakeWildberries Fake { get; }

    public SkippingTimeProvider Time { get; } = new();

    public Guid WorkspaceId { get; }

    public WildberriesConnector Connector { get; }

    public ConnectionSettings Connection { get; }

    public PullRunner Runner { get; }

    public static async Task<PullHarness> StartAsync(TestDatabase database, FakeWildberriesReport report, WildberriesOptions? options = null)
    {
        var workspaceId = Guid.NewGuid();
        var connectionId = Guid.NewGuid();
        await ExecuteAsync(
            database,
            "INSERT INTO workspaces (id, name) VALUES ($1, $2)",
            workspaceId,
            "pulls " + workspaceId.ToString("N", CultureInfo.InvariantCulture));
        await ExecuteAsync(
            database,
            "INSERT INTO connections (id, workspace_id, marketplace, name, protected_credentials) VALUES ($1, $2, 'wildberries', 'WB', 'protected')",
            connectionId,
            workspaceId);
        var fake = await FakeWildberries.StartAsync(report);
        return new PullHarness(database, fake, options ?? new WildberriesOptions { ReportLimit = 60, RowsPerPage = 25 }, workspaceId, connectionId);
    }

    /// <summary>Inserts a queued run of the window and returns its id.</summary>
    public async Task<Guid> QueueAsync(DateOnly from, DateOnly to)
    {
        var runId = Guid.NewGuid();
        await ExecuteAsync(
            Database,
            "INSERT INTO pull_runs (id, workspace_id, connection_id, trigger, status, period_from, period_to) VALUES ($1, $2, $3, 'manual', 'queued', $4, $5)",
            runId,
            WorkspaceId,
            Connection.Id,
            from,
            to);
        return runId;
    }

    /// <summary>Queues a run of the window and runs it.</summary>
    public async Task<(Guid RunId, PullRunResult Result)> PullAsync(
        DateOnly from, DateOnly to, IMarketplaceConnector? connector = null, CancellationToken cancellationToken = default)
    {
        var runId = await QueueAsync(from, to);
        var result = await Runner.RunAsync(runId, Connection, connector ?? Connector, Moscow, cancellationToken);
        return (runId, result);
    }

    public async Task<RunRow> RunRowAsync(Guid runId)
    {
        await using var command = Database.DataSource.CreateCommand(
            """
            SELECT status, pages_read, rows_read, inserted, updated, error, marketplace_payout, ledger_payout,
                   started_at IS NOT NULL, finished_at IS NOT NULL
            FROM pull_runs WHERE id = $1
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = runId });
        await using var reader = await command.ExecuteReaderAsync();
        (await reader.ReadAsync()).Should().BeTrue();
        return new RunRow(
            reader.GetString(0),
            reader.GetInt32(1),
            reader.GetInt32(2),
            reader.GetInt32(3),
            reader.GetInt32(4),
            reader.IsDBNull(5) ? null : reader.GetString(5),
            reader.IsDBNull(6) ? null : reader.GetDecimal(6),
            reader.IsDBNull(7) ? null : reader.GetDecimal(7),
            reader.GetBoolean(8),
            reader.GetBoolean(9));
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

    public Task<long> SourceRowsAsync(bool pendingOnly = false) => CountAsync(
        pendingOnly
            ? "SELECT count(*) FROM source_rows WHERE connection_id = $1 AND needs_derivation"
            : "SELECT count(*) FROM source_rows WHERE connection_id = $1",
        Connection.Id);

    public Task<long> StagingRowsAsync(Guid runId) => CountAsync("SELECT count(*) FROM pull_staging WHERE run_id = $1", runId);

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await Fake.DisposeAsync();
    }

    public static async Task ExecuteAsync(TestDatabase database, string sql, params object[] values)
    {
        await using var command = database.DataSource.CreateCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        await command.ExecuteNonQueryAsync();
    }

    private async Task<long> CountAsync(string sql, Guid id)
    {
        await using var command = Database.DataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        return (long)(await command.ExecuteScalarAsync())!;
    }
}

internal sealed record RunRow(
    string Status,
    int PagesRead,
    int RowsRead,
    int Inserted,
    int Updated,
    string? Error,
    decimal? MarketplacePayout,
    decimal? LedgerPayout,
    bool Started,
    bool Finished);

internal sealed record LedgerSnapshot(
    int Sales,
    decimal Revenue,
    decimal SaleCosts,
    int Returns,
    decimal ReturnMoney,
    int Fees,
    decimal FeeAmount,
    int AdSpend,
    decimal AdAmount,
    long LedgerVersion)
{
    /// <summary>The same figures without the version, which every write bumps.</summary>
    public LedgerSnapshot Figures() => this with { LedgerVersion = 0 };
}

/// <summary>A connector that passes through to another and misbehaves as told: runs code after a page, or fails its mapping.</summary>
internal sealed class InterferingConnector(IMarketplaceConnector inner) : IMarketplaceConnector
{
    /// <summary>Called after the runner has taken each page (with the page number).</summary>
    public Action<int>? AfterPage { get; set; }

    /// <summary>The page (1-based) the connector sends twice in a row, as a marketplace repeating itself might; 0: none.</summary>
    public int RepeatPage { get; set; }

    /// <summary>How many of the next <see cref="Map"/> calls throw.</summary>
    public int MapFailures { get; set; }

    public string Marketplace => inner.Marketplace;

    public async IAsyncEnumerable<SourcePage> FetchAsync(
        ConnectionSettings connection, PullWindow window, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var pages = 0;
        await foreach (var page in inner.FetchAsync(connection, window, cancellationToken))
        {
            yield return page;
            pages++;
            AfterPage?.Invoke(pages);
            if (pages == RepeatPage)
            {
                yield return page;
                pages++;
                AfterPage?.Invoke(pages);
            }
        }
    }

    public DerivedLedger Map(IReadOnlyList<SourceRow> rows, TimeZoneInfo zone)
    {
        if (MapFailures > 0)
        {
            MapFailures--;
            throw new InvalidOperationException("the mapper fell over (test)");
        }

        return inner.Map(rows, zone);
    }

    public decimal? MarketplacePayout(IReadOnlyList<SourceRow> rows) => inner.MarketplacePayout(rows);
}

/// <summary>
/// A connector that passes through to another and, after its last page, declares <paramref name="feeds"/> whole for the
/// window (<see cref="SourcePage.CompletedFeeds"/>), as the contract asks of a connector that asks the marketplace for
/// exactly the rows dated in the window (Wildberries' report and ad charges are asked for by date).
/// </summary>
internal sealed class DeclaringConnector(IMarketplaceConnector inner, params string[] feeds) : IMarketplaceConnector
{
    public string Marketplace => inner.Marketplace;

    public async IAsyncEnumerable<SourcePage> FetchAsync(
        ConnectionSettings connection, PullWindow window, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        SourcePage? held = null;
        await foreach (var page in inner.FetchAsync(connection, window, cancellationToken))
        {
            if (held is not null)
            {
                yield return held;
            }

            held = page;
        }

        yield return (held ?? new SourcePage([], 0)) with { CompletedFeeds = feeds };
    }

    public DerivedLedger Map(IReadOnlyList<SourceRow> rows, TimeZoneInfo zone) => inner.Map(rows, zone);

    public decimal? MarketplacePayout(IReadOnlyList<SourceRow> rows) => inner.MarketplacePayout(rows);
}
