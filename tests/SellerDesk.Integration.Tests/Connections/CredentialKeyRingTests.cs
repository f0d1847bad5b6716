using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SellerDesk.Data;
using SellerDesk.Ingestion;
using SellerDesk.Ingestion.Connections;
using SellerDesk.Testing;

namespace SellerDesk.Integration.Tests.Connections;

/// <summary>
/// Credentials are protected with Data Protection keys kept in PostgreSQL (issue 3, point 1): they survive a restart
/// and every node reads them. Each "node" here is its own service provider, wired as the app wires it
/// (AddSellerDeskData + AddSellerDeskPulls) over the same database, sharing no memory with the other.
/// </summary>
public sealed class CredentialKeyRingTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static readonly Dictionary<string, string> Credentials = new()
    {
        ["token"] = "wb-token-survives-restarts-5d1c",
        ["ads_token"] = "wb-ads-token-ÄÖ-кириллица",
    };

    [Fact]
    public async Task Credentials_protected_by_one_node_are_read_by_another_built_afresh_over_the_same_database_and_the_key_is_in_data_protection_keys()
    {
        string stored;
        await using (var first = Node(database.ConnectionString))
        {
            stored = first.GetRequiredService<CredentialProtector>().Protect(Credentials);
        }

        IReadOnlyDictionary<string, string> read;
        await using (var second = Node(database.ConnectionString))
        {
            read = second.GetRequiredService<CredentialProtector>().Unprotect(stored);
        }

        stored.Should().NotContain("wb-token-survives-restarts-5d1c");
        read.Should().BeEquivalentTo(Credentials);
        var keys = await KeysAsync(database.DataSource);
        keys.Should().ContainSingle("one key protects everything until it expires");
        keys[0].Should().Contain("<key id=").And.Contain("<descriptor");
    }

    [Fact]
    public async Task Two_nodes_starting_together_on_an_empty_key_ring_read_each_others_credentials()
    {
        await using var fresh = new TestDatabase();
        await fresh.InitializeAsync();
        await using var a = Node(fresh.ConnectionString);
        await using var b = Node(fresh.ConnectionString);

        var protectorA = a.GetRequiredService<CredentialProtector>();
        var protectorB = b.GetRequiredService<CredentialProtector>();

        // Both find no key and may each create one at the same moment.
        var stored = await Task.WhenAll(Task.Run(() => protectorA.Protect(Credentials)), Task.Run(() => protectorB.Protect(Credentials)));

        protectorB.Unprotect(stored[0]).Should().BeEquivalentTo(Credentials);
        protectorA.Unprotect(stored[1]).Should().BeEquivalentTo(Credentials);
        (await KeysAsync(fresh.DataSource)).Should().NotBeEmpty();
    }

    [Fact]
    public async Task A_node_over_another_key_ring_cannot_read_them_and_says_they_must_be_entered_again()
    {
        string stored;
        await using (var node = Node(database.ConnectionString))
        {
            stored = node.GetRequiredService<CredentialProtector>().Protect(Credentials);
        }

        await using var elsewhere = new TestDatabase();
        await elsewhere.InitializeAsync();
        await using var stranger = Node(elsewhere.ConnectionString);

        var read = () => stranger.GetRequiredService<CredentialProtector>().Unprotect(stored);

        read.Should().Throw<CredentialsUnreadableException>().WithMessage("*enter them again*");
    }

    /// <summary>A node's services as the app registers them; nothing is started (Quartz stays idle).</summary>
    private static ServiceProvider Node(string connectionString)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSellerDeskData(connectionString);
        services.AddSellerDeskIngestion();
        services.AddSellerDeskPulls(connectionString, new ConfigurationBuilder().Build());
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = false, ValidateScopes = true });
    }

    private static async Task<List<string>> KeysAsync(NpgsqlDataSource dataSource)
    {
        await using var command = dataSource.CreateCommand("SELECT xml FROM data_protection_keys ORDER BY id");
        await using var reader = await command.ExecuteReaderAsync();
        var keys = new List<string>();
        while (await reader.ReadAsync())
        {
            keys.Add(reader.GetString(0));
        }

        return keys;
    }
}
