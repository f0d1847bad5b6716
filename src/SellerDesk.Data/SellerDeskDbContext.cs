using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using SellerDesk.Data.Accounts;
using SellerDesk.Data.Entities;

namespace SellerDesk.Data;

/// <summary>
/// The ledger and its workspaces. Schema changes go through the SQL scripts in Migrations/
/// (see docs/decisions/0003-migrations.md); SchemaMatchesModel tests keep this model in step with them.
/// </summary>
public sealed class SellerDeskDbContext(DbContextOptions<SellerDeskDbContext> options)
    : IdentityUserContext<SellerDeskUser, Guid>(options)
{
    public DbSet<WorkspaceMember> WorkspaceMembers => Set<WorkspaceMember>();

    public DbSet<Invitation> Invitations => Set<Invitation>();

    public DbSet<Installation> Installation => Set<Installation>();

    public DbSet<AuditEntry> AuditLog => Set<AuditEntry>();

    public DbSet<Workspace> Workspaces => Set<Workspace>();

    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();

    public DbSet<SalesLineRow> SalesLines => Set<SalesLineRow>();

    public DbSet<ReturnRow> Returns => Set<ReturnRow>();

    public DbSet<AdSpendRow> AdSpend => Set<AdSpendRow>();

    public DbSet<PeriodFeeRow> PeriodFees => Set<PeriodFeeRow>();

    public DbSet<UnitCostRow> UnitCosts => Set<UnitCostRow>();

    public DbSet<Connection> Connections => Set<Connection>();

    public DbSet<PullRun> PullRuns => Set<PullRun>();

    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<LedgerChange> LedgerChanges => Set<LedgerChange>();

    public DbSet<ChannelName> ChannelNames => Set<ChannelName>();
    public DbSet<PullGap> PullGaps => Set<PullGap>();

    private static string SnakeCase(string name)
    {
        var text = new System.Text.StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                text.Append('_');
            }

            text.Append(char.ToLowerInvariant(name[i]));
        }

        return text.ToString();
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        base.OnModelCreating(builder);
        AccountModel.MapIdentityTables(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(SellerDeskDbContext).Assembly);
        foreach (var property in builder.Model.GetEntityTypes().SelectMany(e => e.GetProperties()))
        {
            // The SQL migrations name columns in snake_case (order_id); properties are PascalCase (OrderId).
            property.SetColumnName(SnakeCase(property.Name));
            if (property.ClrType == typeof(decimal) || property.ClrType == typeof(decimal?))
            {
                // Money is exact and unbounded in scale: rounding happens only on output.
                property.SetColumnType("numeric");
            }
        }
    }
}
