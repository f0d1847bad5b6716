using SellerDesk.Ingestion.Connections;

namespace SellerDesk.Web.Features.Connections;

/// <summary>The schedule editor's fields (bound to inputs, so mutable).</summary>
public sealed class ScheduleForm
{
    public ScheduleKind Kind { get; set; } = ScheduleKind.Daily;

    public int Hour { get; set; } = 6;

    public int Minute { get; set; }

    public DayOfWeek Day { get; set; } = DayOfWeek.Monday;

    public string? Cron { get; set; }

    public int WindowDays { get; set; } = ConnectionService.DefaultWindowDays;

    public bool Enabled { get; set; } = true;

    public static ScheduleForm From(PullSchedule schedule)
    {
        var p = SchedulePreset.FromCron(schedule.Cron);
        return new ScheduleForm
        {
            Kind = p.Kind,
            Hour = p.Hour,
            Minute = p.Minute,
            Day = p.Day,
            Cron = p.Cron,
            WindowDays = schedule.WindowDays,
            Enabled = schedule.Cron is null || schedule.Enabled,
        };
    }

    /// <summary>The schedule these fields describe.</summary>
    public PullSchedule ToSchedule() => new(ToPreset().ToCron(), WindowDays, Enabled);

    public SchedulePreset ToPreset() => new(Kind, Math.Clamp(Hour, 0, 23), Math.Clamp(Minute, 0, 59), Day, Cron);
}
