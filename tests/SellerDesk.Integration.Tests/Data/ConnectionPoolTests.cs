using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SellerDesk.Data;
using SellerDesk.Testing;

namespace SellerDesk.Integration.Tests.Data;

/// <summary>
/// A burst of requests waits for the app's pooled connections instead of opening a PostgreSQL backend each: with
/// Npgsql's default pool of 100 a 200-request burst took every connection the server allows and got 503s
/// (docs/benchmarks.md). A connection string that names its own pool size keeps it.
/// </summary>
public sealed class ConnectionPoolTests : IClassFixture<TestDatabase>
{
    private readonly TestDatabase _database;

    public ConnectionPoolTests(TestDatabase database) => _database = database;

    [Fact]
    public async Task A_burst_of_sixty_queries_holds_no_more_backends_than_the_default_pool_and_all_of_them_answer()
    {
        var name = "pool-test-" + Guid.NewGuid().ToString("N")[..8];
        var connectionString = new NpgsqlConnectionStringBuilder(_database.ConnectionString) { ApplicationName = name }.ConnectionString;
        await using var services = new ServiceCollection().AddSellerDeskData(connectionString).BuildServiceProvider();
        var dataSource = services.GetRequiredService<NpgsqlDataSource>();

        var burst = Enumerable.Range(0, 60).Select(async _ =>
        {
            await using var command = dataSource.CreateCommand(
                "SELECT pg_sleep(0.2), (SELECT count(*) FROM pg_stat_activity WHERE application_name = $1)");
            command.Parameters.AddWithValue(name);
            await using var reader = await command.ExecuteReaderAsync();
            await reader.ReadAsync();
            return reader.GetInt64(1);
        }).ToList();
        var seen = await Task.WhenAll(burst);

        seen.Should().HaveCount(60);
        seen.Max().Should().BeLessThanOrEqualTo(DataServiceCollectionExtensions.DefaultMaxPoolSize,
            "the queries beyond the pool wait for a pooled connection instead of opening backends of their own");
        seen.Max().Should().BeGreaterThan(1, "the burst does run in parallel on the pool");
    }

    [Fact]
    public async Task A_connection_string_that_names_its_pool_size_keeps_it()
    {
        var connectionString = new NpgsqlConnectionStringBuilder(_database.ConnectionString) { MaxPoolSize = 7 }.ConnectionString;
        await using var services = new ServiceCollection().AddSellerDeskData(connectionString).BuildServiceProvider();

        var used = new NpgsqlConnectionStringBuilder(services.GetRequiredService<NpgsqlDataSource>().ConnectionString);

        used.MaxPoolSize.Should().Be(7);
    }
}
