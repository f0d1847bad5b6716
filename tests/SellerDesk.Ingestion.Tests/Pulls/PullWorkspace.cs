using System.Globalization;
using System.Text;
using Npgsql;
using SellerDesk.Data;
using SellerDesk.Data.Ledger;
using SellerDesk.Data.Reports;
using SellerDesk.Data.Workspaces;
using SellerDesk.Domain.Ledger;
using SellerDesk.Domain.Reports;
using SellerDesk.Ingestion.Connectors;
using SellerDesk.Ingestion.Connectors.Sandbox;
using SellerDesk.Ingestion.Files;
using SellerDesk.Ingestion.Pulls;
using SellerDesk.Testing.Marketplaces;
using SellerDesk.Testing;

namespace SellerDesk.Ingestion.Tests.Pulls;

/// <summary>
/// A workspace of its own in a test database, with as many connections as a test adds (rows in <c>connections</c>,
/// pulled by a real <see cref="PullRunner"/> on a clock whose waits take no time), and readers of what the ledger
/// holds: every row of a source as records, and the reports of a source.
/// </summary>
internal sealed class PullWorkspace
{
    public static readonly TimeZoneInfo Moscow = TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow");

    private PullWorkspace(TestDatabase database, Guid id, SkippingTimeProvider time)
    {
        Database = database;
        Id = id;
        Time = time;
        Runner = new PullRunner(database.DataSource, ConnectorMarketplaces.NewLedgerWriter(database.DataSource), time);
    }

    public TestDatabase Database { get; }

    public Guid Id { get; }

    public SkippingTimeProvider Time { get; }

    public PullRunner Runner { get; }

    public WorkspaceContext Context => new(Id, "pulls " + Id.ToString("N", CultureInfo.InvariantCulture), "Europe/Moscow");

    public static async Task<PullWorkspace> CreateAsync(TestDatabase database, DateTimeOffset now)
    {
        var id = Guid.NewGuid();
        await ExecuteAsync(database, "INSERT INTO workspaces (id, name) VALUES ($1, $2)", id, "pulls " + id.ToString("N", CultureInfo.InvariantCulture));
        return new PullWorkspace(database, id, new SkippingTimeProvider(now));
    }

    /// <summary>Adds a connection row (no schedule) and returns its settings.</summary>
    public async Task<ConnectionSettings> ConnectAsync(string marketplace, string name, IReadOnlyDictionary<string, string> credentials, Uri? baseUrl = null)
    {
        var id = Guid.NewGuid();
        await ExecuteAsync(
            Database,
            "INSERT INTO connections (id, workspace_id, marketplace, name, protected_credentials) VALUES ($1, $2, $3, $4, 'protected')",
            id,
            Id,
            marketplace,
            name);
        return new ConnectionSettings(id, Id, marketplace, credentials, baseUrl);
    }

    public Task<ConnectionSettings> SandboxAsync(int seed, string? name = null) =>
        ConnectAsync(
            SandboxConnector.MarketplaceCode,
            name ?? "Sandbox " + seed.ToString(CultureInfo.InvariantCulture),
            new Dictionary<string, string> { [SandboxConnector.SeedKey] = seed.ToString(CultureInfo.InvariantCulture) });

    /// <summary>A sandbox connector at report revision <paramref name="revision"/>, on this workspace's clock.</summary>
    public SandboxConnector Sandbox(int revision = 0, params string[] failingFeeds) =>
        new(new SandboxOptions { Revision = revision, FailingFeeds = failingFeeds }, Time);

    /// <summary>Queues a run of the window for the connection and runs it.</summary>
    public async Task<(Guid RunId, PullRunResult Result)> PullAsync(ConnectionSettings connection, IMarketplaceConnector connector, DateOnly from, DateOnly to)
    {
        var runId = Guid.NewGuid();
        await ExecuteAsync(
            Database,
            "INSERT INTO pull_runs (id, workspace_id, connection_id, trigger, status, period_from, period_to) VALUES ($1, $2, $3, 'manual', 'queued', $4, $5)",
            runId,
            Id,
            connection.Id,
            from,
            to);
        return (runId, await Runner.RunAsync(runId, connection, connector, Moscow, CancellationToken.None));
    }

    /// <summary>Every ledger row of the workspace (of one source when given), as records in key order.</summary>
    public async Task<LedgerRows> LedgerAsync(LedgerSource? source = null)
    {
        var filter = source is null ? string.Empty : " AND source = $2";
        object[] values = source is { } only ? [Id, only.Id] : [Id];
        var sales = await ReadAsync(
            "SELECT marketplace, order_id, line_id, ordered_at, customer_id, channel, sku, quantity, revenue, commission, logistics, acquiring, other_fees "
            + "FROM sales_lines WHERE workspace_id = $1" + filter + " ORDER BY marketplace, order_id, line_id",
            r => new SaleLine(
                r.GetString(0), r.GetString(1), r.GetString(2), r.GetFieldValue<DateTimeOffset>(3), r.IsDBNull(4) ? null : r.GetString(4),
                r.GetString(5), r.GetString(6), r.GetInt32(7), r.GetDecimal(8), r.GetDecimal(9), r.GetDecimal(10), r.GetDecimal(11), r.GetDecimal(12)),
            values);
        var returns = await ReadAsync(
            "SELECT marketplace, order_id, line_id, return_id, returned_at, quantity, refund, commission_refund, return_logistics, restockable, reason "
            + "FROM returns WHERE workspace_id = $1" + filter + " ORDER BY marketplace, order_id, line_id, return_id",
            r => new ReturnEvent(
                r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetFieldValue<DateTimeOffset>(4), r.GetInt32(5),
                r.GetDecimal(6), r.GetDecimal(7), r.GetDecimal(8), r.GetBoolean(9), r.IsDBNull(10) ? null : r.GetString(10)),
            values);
        var ads = await ReadAsync(
            "SELECT date, marketplace, channel, amount FROM ad_spend WHERE workspace_id = $1" + filter + " ORDER BY date, marketplace, channel, source",
            r => new AdSpend(r.GetFieldValue<DateOnly>(0), r.GetString(1), r.GetString(2), r.GetDecimal(3)),
            values);
        var fees = await ReadAsync(
            "SELECT date, marketplace, kind, amount FROM period_fees WHERE workspace_id = $1" + filter + " ORDER BY date, marketplace, kind, source",
            r => new PeriodFee(r.GetFieldValue<DateOnly>(0), r.GetString(1), r.GetString(2), r.GetDecimal(3)),
            values);
        return new LedgerRows(sales, returns, ads, fees);
    }

    /// <summary>The marketplaces report as of <paramref name="asOf"/> over <paramref name="from"/>..<paramref name="to"/>, of one source when given.</summary>
    public async Task<IReadOnlyList<MarketplaceRow>> MarketplacesAsync(DateOnly from, DateOnly to, DateOnly asOf, LedgerSource? source = null)
    {
        var reports = new ReportService(new ReportQueries(Database.DataSource), Time);
        var result = await reports.LoadFactsAsync(Context, new ReportRequest(from, to, asOf) { Source = source });
        return result.Marketplaces();
    }

    /// <summary>The channels report likewise.</summary>
    public async Task<IReadOnlyList<ChannelRow>> ChannelsAsync(DateOnly from, DateOnly to, DateOnly asOf, LedgerSource? source = null)
    {
        var reports = new ReportService(new ReportQueries(Database.DataSource), Time);
        var result = await reports.LoadFactsAsync(Context, new ReportRequest(from, to, asOf) { Source = source });
        return result.Channels();
    }

    /// <summary>Imports a ledger file given as CSV text.</summary>
    public async Task<ImportResult> ImportAsync(LedgerFileKind kind, string csv)
    {
        await using var stream = new MemoryStream(Encoding.UTF8.GetBytes(csv));
        return await new LedgerImporter(Database.DataSource).ImportAsync(Id, Moscow, kind, stream, null);
    }

    public Task ExecuteAsync(string sql, params object[] values) => ExecuteAsync(Database, sql, values);

    public async Task<T> ScalarAsync<T>(string sql, params object[] values)
    {
        await using var command = Database.DataSource.CreateCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return (T)(await command.ExecuteScalarAsync())!;
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

    private async Task<List<T>> ReadAsync<T>(string sql, Func<NpgsqlDataReader, T> map, object[] values)
    {
        await using var command = Database.DataSource.CreateCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        var rows = new List<T>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(map(reader));
        }

        return rows;
    }
}

/// <summary>Ledger rows as records, in key order: what a source (or the workspace) holds.</summary>
internal sealed record LedgerRows(IReadOnlyList<SaleLine> Sales, IReadOnlyList<ReturnEvent> Returns, IReadOnlyList<AdSpend> AdSpend, IReadOnlyList<PeriodFee> Fees)
{
    public static LedgerRows Of(DerivedLedger ledger) => new(
        [.. ledger.Sales.OrderBy(s => s.Marketplace, StringComparer.Ordinal).ThenBy(s => s.OrderId, StringComparer.Ordinal).ThenBy(s => s.LineId, StringComparer.Ordinal)],
        [.. ledger.Returns.OrderBy(r => r.Marketplace, StringComparer.Ordinal).ThenBy(r => r.OrderId, StringComparer.Ordinal)
            .ThenBy(r => r.LineId, StringComparer.Ordinal).ThenBy(r => r.ReturnId, StringComparer.Ordinal)],
        [.. ledger.AdSpend.OrderBy(a => a.Date).ThenBy(a => a.Marketplace, StringComparer.Ordinal).ThenBy(a => a.Channel, StringComparer.Ordinal)],
        [.. ledger.Fees.OrderBy(f => f.Date).ThenBy(f => f.Marketplace, StringComparer.Ordinal).ThenBy(f => f.Kind, StringComparer.Ordinal)]);

    public int Count => Sales.Count + Returns.Count + AdSpend.Count + Fees.Count;

    /// <summary>Asserts both hold exactly the same rows, in the same key order.</summary>
    public void ShouldEqual(LedgerRows expected, string because)
    {
        ArgumentNullException.ThrowIfNull(expected);
        Sales.Should().Equal(expected.Sales, because);
        Returns.Should().Equal(expected.Returns, because);
        AdSpend.Should().Equal(expected.AdSpend, because);
        Fees.Should().Equal(expected.Fees, because);
    }
}
