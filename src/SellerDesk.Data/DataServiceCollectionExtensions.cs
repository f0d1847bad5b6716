using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;
using SellerDesk.Data.Reports;

namespace SellerDesk.Data;

public static class DataServiceCollectionExtensions
{
    /// <summary>One shared <see cref="NpgsqlDataSource"/>, a DbContext factory over it, the migrator and report queries.</summary>
    public static IServiceCollection AddSellerDeskData(this IServiceCollection services, string connectionString)
    {
        // JIT compiles each big report or merge statement anew (about a second each); these queries gain nothing from it.
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        builder.Options = string.IsNullOrEmpty(builder.Options) ? "-c jit=off" : builder.Options + " -c jit=off";
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
}
