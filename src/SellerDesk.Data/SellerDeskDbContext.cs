using Microsoft.EntityFrameworkCore;
using SellerDesk.Data.Entities;

namespace SellerDesk.Data;

/// <summary>
/// The ledger and its workspaces. Schema changes go through the SQL scripts in Migrations/
/// (see docs/decisions/0003-migrations.md); SchemaMatchesModel tests keep this model in step with them.
/// </summary>
public sealed class SellerDeskDbContext(DbContextOptions<SellerDeskDbContext> options) : DbContext(options)
{
    public DbSet<Workspace> Workspaces => Set<Workspace>();

    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();

    public DbSet<SalesLineRow> SalesLines => Set<SalesLineRow>();

    public DbSet<ReturnRow> Returns => Set<ReturnRow>();

    public DbSet<AdSpendRow> AdSpend => Set<AdSpendRow>();

    public DbSet<PeriodFeeRow> PeriodFees => Set<PeriodFeeRow>();

    public DbSet<UnitCostRow> UnitCosts => Set<UnitCostRow>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(SellerDeskDbContext).Assembly);
        foreach (var property in modelBuilder.Model.GetEntityTypes().SelectMany(e => e.GetProperties()))
        {
            if (property.ClrType == typeof(decimal) || property.ClrType == typeof(decimal?))
            {
                // Money is exact and unbounded in scale: rounding happens only on output.
                property.SetColumnType("numeric");
            }
        }
    }
}
