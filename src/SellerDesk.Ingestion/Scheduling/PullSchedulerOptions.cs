namespace SellerDesk.Ingestion.Scheduling;

/// <summary>The <c>Scheduler</c> configuration section (decision 0012).</summary>
public sealed class PullSchedulerOptions
{
    /// <summary>False: this node serves pages and the API and runs no pulls (its queued runs go to nodes that do).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Pulls this node runs at once.</summary>
    public int Workers { get; set; } = 4;

    /// <summary>
    /// How often each node looks for due schedules and queued runs. One second, because schedules may have seconds
    /// (six-field crons); a due slot or a queued run starts within about this long.
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a run waits for its connection's turn before it lets its worker go and comes back later.</summary>
    public TimeSpan TurnPatience { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The name this node's server is known by (in <c>pull_runs.node</c> and the dashboard); the machine's by default.</summary>
    public string? NodeName { get; set; }

    /// <summary>The shortest time a schedule may leave between two runs (issue 10: at most every 15 minutes); tests lower it.</summary>
    public TimeSpan ShortestInterval { get; set; } = PullCron.ShortestInterval;
}
