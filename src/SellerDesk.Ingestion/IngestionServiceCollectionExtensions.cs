using Microsoft.Extensions.DependencyInjection;
using SellerDesk.Ingestion.Files;

namespace SellerDesk.Ingestion;

public static class IngestionServiceCollectionExtensions
{
    /// <summary>
    /// The ledger importer (files and record batches). Needs the shared <see cref="Npgsql.NpgsqlDataSource"/>
    /// that <c>AddSellerDeskData</c> registers.
    /// </summary>
    public static IServiceCollection AddSellerDeskIngestion(this IServiceCollection services)
    {
        services.AddSingleton<LedgerImporter>();
        return services;
    }
}
