using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;
using SellerDesk.Data.Reports;

namespace SellerDesk.Data;

public static class DataServiceCollectionExtensions
{
    /// <summary>
    /// The most connections one app process holds when the connection string does not say (<c>Maximum Pool Size</c>).
    /// Npgsql's own default, 100 per data source, is PostgreSQL's whole default <c>max_connections</c>: a burst of 200
    /// report requests on one node opened a backend per request until the server refused the rest ("remaining
    /// connection slots are reserved", answered 503), and opening them cost more than the reports (p95 2.4 s on the demo
    /// ledger). Queued for one of 8 to 30 pooled connections the same burst has no error and p95 about 0.3 s
    /// (docs/benchmarks.md); a 2-core database runs no more than a few queries at once anyway. 40, not 20: under heavy
    /// machine load the end-to-end suite's shared app (pulls holding a session for their turn and one for the run, open
    /// pages, jobs) waited past Npgsql's 15 s for one of 20 and answered 503. Nodes × pool + Hangfire must stay below
    /// the server's max_connections (docs/scaling.md).
    /// </summary>
    public const int DefaultMaxPoolSize = 40;

    private static readonly string[] PoolSizeKeywords = ["Maximum Pool Size", "Max Pool Size", "MaxPoolSize"];

    /// <summary>One shared <see cref="NpgsqlDataSource"/>, a DbContext factory over it, the migrator and report queries.</summary>
    public static IServiceCollection AddSellerDeskData(this IServiceCollection services, string connectionString)
    {
        // JIT compiles each big report or merge statement anew (about a second each); these queries gain nothing from it.
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        builder.Options = string.IsNullOrEmpty(builder.Options) ? "-c jit=off" : builder.Options + " -c jit=off";
        if (!SetsPoolSize(connectionString))
        {
            builder.MaxPoolSize = DefaultMaxPoolSize;
        }

        services.AddSingleton(_ => new NpgsqlDataSourceBuilder(builder.ConnectionString).Build());
        services.AddDbContextFactory<SellerDeskDbContext>((sp, options) =>
            options.UseNpgsql(sp.GetRequiredService<NpgsqlDataSource>()));
        services.AddSingleton<Migrator>();
        services.AddSingleton<ReportQueries>();
        services.AddSingleton<ReportService>();
        services.AddSingleton<Scenarios.SavedScenarios>();
        services.AddSingleton<DrillDownQueries>();
        services.TryAddSingleton(TimeProvider.System);
        return services;
    }

    /// <summary>Whether the connection string names its own pool size (any of Npgsql's spellings).</summary>
    private static bool SetsPoolSize(string connectionString)
    {
        var keys = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        return PoolSizeKeywords.Any(keys.ContainsKey);
    }
}
