using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SellerDesk.Data.Entities;

namespace SellerDesk.Data.Configurations;

internal sealed class WorkspaceConfiguration : IEntityTypeConfiguration<Workspace>
{
    public void Configure(EntityTypeBuilder<Workspace> builder)
    {
        builder.ToTable("workspaces");
        builder.HasKey(w => w.Id);
        builder.HasIndex(w => w.Name).IsUnique().HasDatabaseName("ux_workspaces_name");
        builder.Property(w => w.CreatedAt).HasDefaultValueSql("now()");
    }
}

internal sealed class ApiTokenConfiguration : IEntityTypeConfiguration<ApiToken>
{
    public void Configure(EntityTypeBuilder<ApiToken> builder)
    {
        builder.ToTable("api_tokens");
        builder.HasKey(t => t.Id);
        builder.HasIndex(t => t.TokenHash).IsUnique().HasDatabaseName("ux_api_tokens_hash");
        builder.HasIndex(t => t.WorkspaceId).HasDatabaseName("ix_api_tokens_workspace");
        builder.HasOne<Workspace>().WithMany().HasForeignKey(t => t.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(t => t.CreatedAt).HasDefaultValueSql("now()");
    }
}

internal sealed class SalesLineConfiguration : IEntityTypeConfiguration<SalesLineRow>
{
    public void Configure(EntityTypeBuilder<SalesLineRow> builder)
    {
        builder.ToTable("sales_lines");
        builder.HasKey(s => new { s.WorkspaceId, s.Marketplace, s.OrderId, s.LineId });
        // No foreign key to workspaces and no ordered_at index: both cost more on bulk imports than they give
        // (migration 0004).
    }
}

internal sealed class ReturnConfiguration : IEntityTypeConfiguration<ReturnRow>
{
    public void Configure(EntityTypeBuilder<ReturnRow> builder)
    {
        builder.ToTable("returns");
        builder.HasKey(r => new { r.WorkspaceId, r.Marketplace, r.OrderId, r.LineId, r.ReturnId });
        builder.HasOne<Workspace>().WithMany().HasForeignKey(r => r.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<SalesLineRow>().WithMany()
            .HasForeignKey(r => new { r.WorkspaceId, r.Marketplace, r.OrderId, r.LineId })
            .OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class AdSpendConfiguration : IEntityTypeConfiguration<AdSpendRow>
{
    public void Configure(EntityTypeBuilder<AdSpendRow> builder)
    {
        builder.ToTable("ad_spend");
        builder.HasKey(a => new { a.WorkspaceId, a.Date, a.Marketplace, a.Channel, a.Source });
        builder.HasOne<Workspace>().WithMany().HasForeignKey(a => a.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class PeriodFeeConfiguration : IEntityTypeConfiguration<PeriodFeeRow>
{
    public void Configure(EntityTypeBuilder<PeriodFeeRow> builder)
    {
        builder.ToTable("period_fees");
        builder.HasKey(f => new { f.WorkspaceId, f.Date, f.Marketplace, f.Kind, f.Source });
        builder.HasOne<Workspace>().WithMany().HasForeignKey(f => f.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class UnitCostConfiguration : IEntityTypeConfiguration<UnitCostRow>
{
    public void Configure(EntityTypeBuilder<UnitCostRow> builder)
    {
        builder.ToTable("unit_costs");
        builder.HasKey(c => new { c.WorkspaceId, c.Sku, c.ValidFrom });
        builder.HasOne<Workspace>().WithMany().HasForeignKey(c => c.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ConnectionConfiguration : IEntityTypeConfiguration<Connection>
{
    public void Configure(EntityTypeBuilder<Connection> builder)
    {
        builder.ToTable("connections");
        // The database key begins with the workspace (migration 0024, docs/scaling.md); the id alone is unique too
        // (a uuid), and EF relates pull runs and gaps by it.
        builder.HasKey(c => new { c.WorkspaceId, c.Id });
        builder.HasAlternateKey(c => c.Id);
        builder.HasIndex(c => new { c.WorkspaceId, c.Name }).IsUnique().HasDatabaseName("ux_connections_workspace_name");
        builder.HasIndex(c => new { c.WorkspaceId, c.Marketplace, c.Account }).IsUnique().HasFilter("account IS NOT NULL").HasDatabaseName("ux_connections_account");
        builder.HasOne<Workspace>().WithMany().HasForeignKey(c => c.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(c => c.Status).HasDefaultValue("new");
        builder.Property(c => c.WindowDays).HasDefaultValue(14);
        builder.Property(c => c.CreatedAt).HasDefaultValueSql("now()");
        builder.Property(c => c.UpdatedAt).HasDefaultValueSql("now()");
    }
}

internal sealed class PullRunConfiguration : IEntityTypeConfiguration<PullRun>
{
    public void Configure(EntityTypeBuilder<PullRun> builder)
    {
        builder.ToTable("pull_runs");
        builder.HasKey(r => new { r.WorkspaceId, r.Id });
        builder.HasAlternateKey(r => r.Id);
        builder.HasIndex(r => new { r.ConnectionId, r.CreatedAt }).HasDatabaseName("ix_pull_runs_connection").IsDescending(false, true);
        builder.HasIndex(r => new { r.WorkspaceId, r.CreatedAt }).HasDatabaseName("ix_pull_runs_workspace").IsDescending(false, true);
        builder.HasOne<Workspace>().WithMany().HasForeignKey(r => r.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Connection>().WithMany().HasForeignKey(r => r.ConnectionId).HasPrincipalKey(c => c.Id).OnDelete(DeleteBehavior.SetNull);
        builder.Property(r => r.CreatedAt).HasDefaultValueSql("now()");
    }
}

internal sealed class DataProtectionKeyConfiguration : IEntityTypeConfiguration<DataProtectionKey>
{
    public void Configure(EntityTypeBuilder<DataProtectionKey> builder)
    {
        builder.ToTable("data_protection_keys");
        builder.HasKey(k => k.Id);
        builder.HasIndex(k => k.FriendlyName).IsUnique().HasDatabaseName("ux_data_protection_keys_name");
    }
}

internal sealed class LedgerChangeConfiguration : IEntityTypeConfiguration<LedgerChange>
{
    public void Configure(EntityTypeBuilder<LedgerChange> builder)
    {
        builder.ToTable("ledger_changes");
        builder.HasKey(c => new { c.WorkspaceId, c.Version });
        builder.HasOne<Workspace>().WithMany().HasForeignKey(c => c.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(c => c.CreatedAt).HasDefaultValueSql("now()");
    }
}

internal sealed class ChannelNameConfiguration : IEntityTypeConfiguration<ChannelName>
{
    public void Configure(EntityTypeBuilder<ChannelName> builder)
    {
        builder.ToTable("channel_names");
        builder.HasKey(n => new { n.WorkspaceId, n.Channel });
        builder.HasOne<Workspace>().WithMany().HasForeignKey(n => n.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(n => n.UpdatedAt).HasDefaultValueSql("now()");
    }
}

internal sealed class PullGapConfiguration : IEntityTypeConfiguration<PullGap>
{
    public void Configure(EntityTypeBuilder<PullGap> builder)
    {
        builder.ToTable("pull_gaps");
        builder.HasKey(g => new { g.WorkspaceId, g.RunId, g.Seq });
        builder.HasOne<PullRun>().WithMany().HasForeignKey(g => g.RunId).HasPrincipalKey(r => r.Id).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Workspace>().WithMany().HasForeignKey(g => g.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Connection>().WithMany().HasForeignKey(g => g.ConnectionId).HasPrincipalKey(c => c.Id).OnDelete(DeleteBehavior.SetNull);
        builder.Property(g => g.IsCurrent).HasDefaultValue(true);
    }
}
