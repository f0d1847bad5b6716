namespace SellerDesk.Data.Workspaces;

/// <summary>The workspace a request or page works in: its id, name and time zone.</summary>
public sealed record WorkspaceContext(Guid Id, string Name, string TimeZone)
{
    public TimeZoneInfo Zone => TimeZoneInfo.FindSystemTimeZoneById(TimeZone);

    /// <summary>Today's local date in the workspace zone.</summary>
    public DateOnly Today(TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        return DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), Zone).DateTime);
    }
}
