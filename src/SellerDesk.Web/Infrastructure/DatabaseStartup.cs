using Microsoft.EntityFrameworkCore;
using SellerDesk.Data;
using SellerDesk.Data.Entities;
using SellerDesk.Ingestion;
using SellerDesk.Web.Auth;

namespace SellerDesk.Web.Infrastructure;

/// <summary>Whether start-up has migrated the database; health and pages read it.</summary>
public sealed class DatabaseState
{
    private volatile string? _lastError;
    private volatile bool _ready;

    public bool Ready => _ready;

    public string? LastError => _lastError;

    internal void MarkReady()
    {
        _ready = true;
        _lastError = null;
    }

    internal void MarkFailed(string error) => _lastError = error;
}

/// <summary>
/// Migrates the database (under the migrator's advisory lock), ensures the bootstrap workspace and token and,
/// when asked, loads the demo seller into an empty database. Retries until PostgreSQL answers, so the app
/// starts and serves a plain error page while the database is down.
/// </summary>
internal sealed class DatabaseStartup(
    IServiceProvider services,
    Microsoft.AspNetCore.Hosting.Server.IServer server,
    IHostApplicationLifetime lifetime,
    DatabaseState state,
    IConfiguration configuration,
    ILogger<DatabaseStartup> logger) : BackgroundService
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(3);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await PrepareAsync(stoppingToken);
                state.MarkReady();
                await AnnounceAsync(stoppingToken);
                return;
            }
            catch (Exception ex) when (ex is Npgsql.NpgsqlException or System.Net.Sockets.SocketException or TimeoutException or InvalidOperationException or DbUpdateException)
            {
                // DbUpdateException: nodes starting together on a new database both inserting the bootstrap workspace
                // or token; the next attempt finds the other node's row.
                state.MarkFailed(ex.Message);
                logger.LogError("Database not ready ({Error}); retrying in {Delay}", ex.Message, RetryDelay);
                await Task.Delay(RetryDelay, stoppingToken);
            }
        }
    }

    /// <summary>Says where to open SellerDesk once the server listens and the data is in place.</summary>
    private async Task AnnounceAsync(CancellationToken cancellationToken)
    {
        var started = new TaskCompletionSource();
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        {
            await started.Task.WaitAsync(cancellationToken);
        }

        var addresses = server.Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()?.Addresses;
        logger.LogInformation("SellerDesk is ready: open {Addresses} in a browser", string.Join(", ", addresses ?? []));
        if (services.GetRequiredService<BootstrapOwner>().Announcement is { } owner)
        {
            // The console only, not the log: the generated password is shown once, to whoever started the app.
            Console.Out.WriteLine(
                $"""

                ==================================================================
                 SellerDesk demo is ready at {string.Join(", ", addresses ?? [])}
                 Sign in as   {owner.Email}
                 Password     {owner.Password}
                 (generated now and shown only this once; change it under the
                 account menu, top right)
                ==================================================================

                """);
        }
    }

    private async Task PrepareAsync(CancellationToken cancellationToken)
    {
        var applied = await services.GetRequiredService<Migrator>().MigrateAsync(cancellationToken);
        logger.LogInformation("Database schema is current ({Applied} migration(s) applied now)", applied);

        var factory = services.GetRequiredService<IDbContextFactory<SellerDeskDbContext>>();
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var workspaceName = configuration["Bootstrap:Workspace"] is { Length: > 0 } named ? named : Features.Workspace.UiWorkspace.DefaultName;
        var token = configuration["Bootstrap:ApiToken"];
        if (!string.IsNullOrWhiteSpace(workspaceName))
        {
            var workspace = await EnsureWorkspaceAsync(db, workspaceName, cancellationToken);
            if (!string.IsNullOrWhiteSpace(token)
                && await ApiTokens.EnsureAsync(db, workspace.Id, token, ApiRoles.Owner, "bootstrap", cancellationToken) == BootstrapTokenState.Revoked)
            {
                logger.LogWarning(
                    "The token in Bootstrap:ApiToken was revoked by an Owner and stays revoked; set another one or make a token on the API tokens page");
            }

            await services.GetRequiredService<BootstrapOwner>().EnsureAsync(workspace.Id, cancellationToken);
        }

        foreach (var step in services.GetServices<IStartupStep>())
        {
            await step.RunAsync(cancellationToken);
        }
    }

    internal static async Task<Workspace> EnsureWorkspaceAsync(SellerDeskDbContext db, string name, CancellationToken cancellationToken)
    {
        var workspace = await db.Workspaces.SingleOrDefaultAsync(w => w.Name == name, cancellationToken);
        if (workspace is null)
        {
            workspace = new Workspace { Id = Guid.NewGuid(), Name = name };
            db.Workspaces.Add(workspace);
            await db.SaveChangesAsync(cancellationToken);
        }

        return workspace;
    }
}

/// <summary>Work that runs once the schema is current (the demo seeder, later the scheduler).</summary>
public interface IStartupStep
{
    Task RunAsync(CancellationToken cancellationToken);
}

internal static class DatabaseStartupExtensions
{
    public static WebApplicationBuilder AddSellerDeskDatabase(this WebApplicationBuilder builder)
    {
        var connectionString = builder.Configuration.GetConnectionString("SellerDesk")
            ?? throw new InvalidOperationException(
                "ConnectionStrings:SellerDesk is not set. Start SellerDesk with scripts/run.sh, or set ConnectionStrings__SellerDesk.");
        builder.Services.AddSellerDeskData(connectionString);
        builder.Services.AddSingleton<DatabaseState>();
        builder.Services.AddSellerDeskIngestion();
        builder.Services.AddSellerDeskPulls(connectionString, builder.Configuration);
        builder.Services.AddSingleton<SchedulerState>();
        builder.Services.AddSingleton<PullServer>();
        builder.Services.AddSingleton<IStartupStep, SchedulerStartStep>();
        builder.Services.AddSingleton<IStartupStep, DemoSeedStep>();
        builder.Services.AddSingleton<BootstrapOwner>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<PullServer>());
        builder.Services.AddHostedService<DatabaseStartup>();
        return builder;
    }
}
