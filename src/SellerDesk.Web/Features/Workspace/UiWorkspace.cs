using Microsoft.EntityFrameworkCore;
using SellerDesk.Data;
using SellerDesk.Data.Workspaces;

namespace SellerDesk.Web.Features.Workspace;

/// <summary>
/// The workspace the browser pages show: the one named by <c>Bootstrap:Workspace</c> (default "demo").
/// SellerDesk v1 serves one seller per installation in the browser; the API serves any workspace by token.
/// </summary>
public sealed class UiWorkspace(IDbContextFactory<SellerDeskDbContext> contexts, IConfiguration configuration)
{
    public const string DefaultName = "demo";

    public string Name => configuration["Bootstrap:Workspace"] is { Length: > 0 } name ? name : DefaultName;

    /// <summary>The workspace, or null when start-up has not created it yet.</summary>
    public async Task<WorkspaceContext?> GetAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Workspaces
            .Where(w => w.Name == Name)
            .Select(w => new WorkspaceContext(w.Id, w.Name, w.TimeZone))
            .SingleOrDefaultAsync(cancellationToken);
    }
}
