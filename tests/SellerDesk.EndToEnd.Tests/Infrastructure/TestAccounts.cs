using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SellerDesk.Data;
using SellerDesk.Data.Accounts;
using SellerDesk.Web.Auth;

namespace SellerDesk.EndToEnd.Tests.Infrastructure;

/// <summary>Accounts a test starts from, arranged through the app's own services.</summary>
internal static class TestAccounts
{
    /// <summary>An account with the role in the workspace (both made if missing); returns the user's id.</summary>
    public static async Task<Guid> EnsureUserAsync(IServiceProvider services, string email, string password, string role, string workspaceName = "demo")
    {
        using var scope = services.CreateScope();
        var accounts = scope.ServiceProvider.GetRequiredService<AccountService>();
        var contexts = scope.ServiceProvider.GetRequiredService<IDbContextFactory<SellerDeskDbContext>>();
        await using var db = await contexts.CreateDbContextAsync();
        var workspace = await db.Workspaces.SingleOrDefaultAsync(w => w.Name == workspaceName);
        if (workspace is null)
        {
            workspace = new SellerDesk.Data.Entities.Workspace { Id = Guid.NewGuid(), Name = workspaceName };
            db.Workspaces.Add(workspace);
            await db.SaveChangesAsync();
        }

        var normalized = email.ToUpperInvariant();
        var user = await db.Users.SingleOrDefaultAsync(u => u.NormalizedEmail == normalized)
            ?? await accounts.CreateUserAsync(email, password);
        if (!await db.WorkspaceMembers.AnyAsync(m => m.WorkspaceId == workspace.Id && m.UserId == user.Id))
        {
            db.WorkspaceMembers.Add(new WorkspaceMember { WorkspaceId = workspace.Id, UserId = user.Id, Role = role, CreatedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
        }

        return user.Id;
    }
}
