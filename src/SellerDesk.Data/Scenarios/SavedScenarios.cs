using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Npgsql;
using SellerDesk.Data.Entities;
using SellerDesk.Domain.Scenarios;

namespace SellerDesk.Data.Scenarios;

/// <summary>A row of <c>scenarios</c> (migration 0019).</summary>
public sealed class ScenarioRow
{
    public Guid WorkspaceId { get; set; }

    public Guid Id { get; set; }

    public required string Name { get; set; }

    /// <summary>The adjustments as the API's JSON array.</summary>
    public required string Adjustments { get; set; }

    public Guid? CreatedBy { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

internal sealed class ScenarioRowConfiguration : IEntityTypeConfiguration<ScenarioRow>
{
    public void Configure(EntityTypeBuilder<ScenarioRow> builder)
    {
        builder.ToTable("scenarios");
        builder.HasKey(s => new { s.WorkspaceId, s.Id });
        builder.HasIndex(s => new { s.WorkspaceId, s.Name }).IsUnique();
        builder.HasOne<Workspace>().WithMany().HasForeignKey(s => s.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(s => s.Adjustments).HasColumnType("jsonb");
        builder.Property(s => s.CreatedAt).HasDefaultValueSql("now()");
        builder.Property(s => s.UpdatedAt).HasDefaultValueSql("now()");
    }
}

/// <summary>A saved scenario: its id (the shared link's), name and adjustments, in the order they apply.</summary>
public sealed record SavedScenario(Guid Id, string Name, IReadOnlyList<ScenarioAdjustment> Adjustments, DateTimeOffset UpdatedAt);

/// <summary>Why a scenario could not be saved.</summary>
public enum SaveScenarioProblem
{
    None,
    NameMissing,
    NameTaken,
}

/// <summary>
/// The workspace's saved what-if scenarios (table <c>scenarios</c>). Every read and write names the workspace: an id
/// of another workspace is not found. One short-lived context per call.
/// </summary>
public sealed class SavedScenarios(IDbContextFactory<SellerDeskDbContext> contexts, TimeProvider clock)
{
    public const int MaxNameLength = 100;

    /// <summary>The JSON of the adjustments: the field names of <c>POST /api/v1/scenarios/evaluate</c>, absent fields left out.</summary>
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public async Task<IReadOnlyList<SavedScenario>> ListAsync(Guid workspaceId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.Set<ScenarioRow>().AsNoTracking().Where(s => s.WorkspaceId == workspaceId).ToListAsync(cancellationToken);
        return [.. rows.Select(Of).OrderBy(s => s.Name, StringComparer.CurrentCultureIgnoreCase)];
    }

    public async Task<SavedScenario?> GetAsync(Guid workspaceId, Guid id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.Set<ScenarioRow>().AsNoTracking().SingleOrDefaultAsync(s => s.WorkspaceId == workspaceId && s.Id == id, cancellationToken);
        return row is null ? null : Of(row);
    }

    /// <summary>
    /// Saves the adjustments under a name (trimmed, at most <see cref="MaxNameLength"/> characters): a new scenario
    /// when <paramref name="id"/> is null or not the workspace's, else that one renamed and changed. A name another
    /// scenario of the workspace has is refused.
    /// </summary>
    public async Task<(SavedScenario? Saved, SaveScenarioProblem Problem)> SaveAsync(
        Guid workspaceId, Guid? id, string? name, IReadOnlyList<ScenarioAdjustment> adjustments, Guid? by, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(adjustments);
        var trimmed = name?.Trim() ?? string.Empty;
        if (trimmed.Length == 0)
        {
            return (null, SaveScenarioProblem.NameMissing);
        }

        trimmed = trimmed.Length > MaxNameLength ? trimmed[..MaxNameLength].TrimEnd() : trimmed;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var set = db.Set<ScenarioRow>();
        if (await set.AnyAsync(s => s.WorkspaceId == workspaceId && s.Name == trimmed && s.Id != id, cancellationToken))
        {
            return (null, SaveScenarioProblem.NameTaken);
        }

        var now = clock.GetUtcNow();
        var json = JsonSerializer.Serialize(adjustments, Json);
        var row = id is { } existing ? await set.SingleOrDefaultAsync(s => s.WorkspaceId == workspaceId && s.Id == existing, cancellationToken) : null;
        if (row is null)
        {
            row = new ScenarioRow { WorkspaceId = workspaceId, Id = Guid.NewGuid(), Name = trimmed, Adjustments = json, CreatedBy = by, CreatedAt = now, UpdatedAt = now };
            set.Add(row);
        }
        else
        {
            row.Name = trimmed;
            row.Adjustments = json;
            row.UpdatedAt = now;
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            // Another member saved the same name at the same moment.
            return (null, SaveScenarioProblem.NameTaken);
        }

        return (Of(row), SaveScenarioProblem.None);
    }

    /// <summary>Deletes the workspace's scenario; false when it has none of that id.</summary>
    public async Task<bool> DeleteAsync(Guid workspaceId, Guid id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Set<ScenarioRow>().Where(s => s.WorkspaceId == workspaceId && s.Id == id).ExecuteDeleteAsync(cancellationToken) > 0;
    }

    private static SavedScenario Of(ScenarioRow row) =>
        new(row.Id, row.Name, JsonSerializer.Deserialize<List<ScenarioAdjustment>>(row.Adjustments, Json) ?? [], row.UpdatedAt);
}
