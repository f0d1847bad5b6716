using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SellerDesk.Ingestion.Connections;

namespace SellerDesk.Ingestion.Connectors.Sandbox;

/// <summary>The sandbox marketplace (docs/connectors/sandbox.md): a generated shop, no HTTP, an optional seed.</summary>
public sealed class SandboxModule : IMarketplaceModule
{
    public static MarketplaceDefinition Define(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = configuration.GetSection("Sandbox").Get<SandboxOptions>() ?? new SandboxOptions();
        return new MarketplaceDefinition(
            SandboxConnector.MarketplaceCode,
            "Sandbox",
            [new CredentialField(SandboxConnector.SeedKey, Required: false, Secret: false)],
            (sp, _) => new SandboxConnector(options, sp.GetRequiredService<TimeProvider>()))
        {
            Account = SandboxConnector.AccountOf,
        };
    }
}
