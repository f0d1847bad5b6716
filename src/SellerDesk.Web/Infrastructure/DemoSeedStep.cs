using Microsoft.EntityFrameworkCore;
using SellerDesk.Data;
using SellerDesk.Data.Ledger;
using SellerDesk.Data.Workspaces;
using SellerDesk.Ingestion.Connections;
using SellerDesk.Ingestion.Connectors.Sandbox;
using SellerDesk.Ingestion.Demo;
using SellerDesk.Ingestion.Files;
using SellerDesk.Web.Features.Workspace;

namespace SellerDesk.Web.Infrastructure;

/// <summary>
/// With <c>Demo:Seed</c> true, fills a database that holds no ledger data yet with a year of the demo seller
/// (ending today), in the bootstrap workspace. A database with data is never touched, so running twice is safe.
/// </summary>
internal sealed class DemoSeedStep(
    IConfiguration configuration,
    IDbContextFactory<SellerDeskDbContext> contexts,
    LedgerImporter importer,
    ConnectionService connections,
    Features.Channels.ChannelNameService channelNames,
    TimeProvider clock,
    ILogger<DemoSeedStep> logger) : IStartupStep
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (!configuration.GetValue<bool>("Demo:Seed"))
        {
            return;
        }

        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            if (await db.SalesLines.AnyAsync(cancellationToken) || await db.AdSpend.AnyAsync(cancellationToken))
            {
                logger.LogInformation("The database already has ledger data; the demo seller is not loaded");
                return;
            }
        }

        var name = configuration["Bootstrap:Workspace"] is { Length: > 0 } named ? named : UiWorkspace.DefaultName;
        WorkspaceContext workspace;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            workspace = await db.Workspaces.Where(w => w.Name == name)
                .Select(w => new WorkspaceContext(w.Id, w.Name, w.TimeZone))
                .SingleOrDefaultAsync(cancellationToken)
                ?? throw new InvalidOperationException($"Workspace '{name}' was not created at start-up.");
        }
        var ledger = DemoSeller.Generate(workspace.Today(clock), workspace.Zone);
        var result = await importer.WriteAsync(
            workspace.Id,
            new LedgerBatch
            {
                Costs = ledger.Costs,
                Sales = ledger.Sales,
                Returns = ledger.Returns,
                AdSpend = ledger.AdSpend,
                Fees = ledger.Fees,
                Attribution = ledger.Attribution,
            },
            cancellationToken);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("The demo seller's ledger was rejected: " + string.Join("; ", result.Errors.Take(5)));
        }

        // The campaigns' and the link blogger's names, as the seller would have named them on the channels page.
        await channelNames.SaveAsync(workspace.Id, ledger.ChannelNames.ToDictionary(n => n.Key, n => (string?)n.Value), cancellationToken);
        logger.LogInformation("Loaded the demo seller into workspace {Workspace}: {Rows} ledger rows", workspace.Name, result.Rows);

        if (configuration.GetValue("Demo:Sandbox", true))
        {
            await ConnectSandboxAsync(workspace.Id, cancellationToken);
        }
    }

    /// <summary>
    /// The demo's sandbox marketplace: a connection pulled every hour (its trailing 14 days), and a first pull of
    /// the last 90 days, so the ops page has runs to show and the dashboards fill from scheduled pulls.
    /// </summary>
    private async Task ConnectSandboxAsync(Guid workspaceId, CancellationToken cancellationToken)
    {
        await connections.CreateAsync(
            workspaceId,
            new NewConnection(SandboxConnector.MarketplaceCode, SandboxName, new Dictionary<string, string> { [SandboxConnector.SeedKey] = "7" }, null)
            {
                Schedule = new PullSchedule(HourlyCron, ConnectionService.DefaultWindowDays, Enabled: true),
                BackfillDays = 90,
            },
            cancellationToken);
        logger.LogInformation("Connected the demo's sandbox marketplace, pulled hourly; its first pull covers the last 90 days");
    }

    /// <summary>The demo sandbox connection's name.</summary>
    public const string SandboxName = "Sandbox demo shop";

    /// <summary>At the top of every hour.</summary>
    public const string HourlyCron = "0 0 * * * ?";
}
