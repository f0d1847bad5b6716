using Microsoft.EntityFrameworkCore;
using SellerDesk.Data;
using SellerDesk.Ingestion.Demo;
using SellerDesk.Ingestion.Files;
using SellerDesk.Web.Features.Workspace;

namespace SellerDesk.Web.Infrastructure;

/// <summary>
/// With <c>Demo:Seed</c> true, fills a database that holds no ledger data yet with a year of the demo seller
/// (ending today), in the browser's workspace. A database with data is never touched, so running twice is safe.
/// </summary>
internal sealed class DemoSeedStep(
    IConfiguration configuration,
    IDbContextFactory<SellerDeskDbContext> contexts,
    UiWorkspace uiWorkspace,
    LedgerImporter importer,
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

        var workspace = await uiWorkspace.GetAsync(cancellationToken)
            ?? throw new InvalidOperationException($"Workspace '{uiWorkspace.Name}' was not created at start-up.");
        var ledger = DemoSeller.Generate(workspace.Today(clock), workspace.Zone);
        var result = await importer.WriteAsync(
            workspace.Id,
            new LedgerBatch { Costs = ledger.Costs, Sales = ledger.Sales, Returns = ledger.Returns, AdSpend = ledger.AdSpend, Fees = ledger.Fees },
            cancellationToken);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("The demo seller's ledger was rejected: " + string.Join("; ", result.Errors.Take(5)));
        }

        logger.LogInformation("Loaded the demo seller into workspace {Workspace}: {Rows} ledger rows", workspace.Name, result.Rows);
    }
}
