using Microsoft.EntityFrameworkCore;
using SellerDesk.Data;
using SellerDesk.Data.Entities;

namespace SellerDesk.Web.Features.Channels;

/// <summary>
/// The workspace's own names for its channel codes (table <c>channel_names</c>, migration 0012). Pages show a code by
/// its name where the workspace gave one, by the app's name for the codes it knows (organic, the sandbox's), and as
/// the code otherwise. One short-lived context per call.
/// </summary>
public sealed class ChannelNameService(IDbContextFactory<SellerDeskDbContext> contexts, TimeProvider clock)
{
    public const int MaxLength = 100;

    public async Task<IReadOnlyDictionary<string, string>> GetAsync(Guid workspaceId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.ChannelNames
            .Where(n => n.WorkspaceId == workspaceId)
            .ToDictionaryAsync(n => n.Channel, n => n.DisplayName, StringComparer.Ordinal, cancellationToken);
    }

    /// <summary>Sets the names given (trimmed, at most <see cref="MaxLength"/> characters); a blank name removes the code's name.</summary>
    public async Task SaveAsync(Guid workspaceId, IReadOnlyDictionary<string, string?> names, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(names);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var codes = names.Keys.ToList();
        var existing = await db.ChannelNames
            .Where(n => n.WorkspaceId == workspaceId && codes.Contains(n.Channel))
            .ToDictionaryAsync(n => n.Channel, StringComparer.Ordinal, cancellationToken);
        foreach (var (code, text) in names)
        {
            var name = text?.Trim();
            existing.TryGetValue(code, out var row);
            if (string.IsNullOrEmpty(name))
            {
                if (row is not null)
                {
                    db.ChannelNames.Remove(row);
                }

                continue;
            }

            name = name.Length > MaxLength ? name[..MaxLength] : name;
            if (row is null)
            {
                db.ChannelNames.Add(new ChannelName { WorkspaceId = workspaceId, Channel = code, DisplayName = name, UpdatedAt = clock.GetUtcNow() });
            }
            else if (row.DisplayName != name)
            {
                row.DisplayName = name;
                row.UpdatedAt = clock.GetUtcNow();
            }
        }

        await db.SaveChangesAsync(cancellationToken);
    }
}
