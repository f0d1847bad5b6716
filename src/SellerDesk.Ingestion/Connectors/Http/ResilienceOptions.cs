namespace SellerDesk.Ingestion.Connectors.Http;

/// <summary>
/// How <see cref="ResilientHttpSender"/> rides out a marketplace's bad moments: how long to wait when throttled,
/// how to back off on server and network errors, and when to give up and leave it to the next scheduled run.
/// </summary>
public sealed record ResilienceOptions
{
    /// <summary>The defaults: 5 tries when throttled (waits capped at 2 min), 5 tries on failures (1 s, 2 s, 4 s, 8 s ± 20%).</summary>
    public static ResilienceOptions Default { get; } = new();

    /// <summary>Tries in all while the marketplace keeps throttling; then <see cref="ConnectorFailure.Throttled"/>.</summary>
    public int MaxThrottledTries { get; init; } = 5;

    /// <summary>The wait when a throttling answer advises none.</summary>
    public TimeSpan DefaultThrottleDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The longest advised wait honoured in place; a longer one ends the run at once (the next run continues).</summary>
    public TimeSpan MaxThrottleDelay { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Tries in all on 5xx, network errors and timeouts; then <see cref="ConnectorFailure.Unavailable"/>.</summary>
    public int MaxFailedTries { get; init; } = 5;

    /// <summary>The back-off after the first failure; it doubles after each further one.</summary>
    public TimeSpan FirstBackoff { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest back-off.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Relative jitter of each back-off: 0.2 spreads a 2 s wait over 1.6 .. 2.4 s.</summary>
    public double Jitter { get; init; } = 0.2;

    /// <summary>How long one try may take to get the response headers (the body is read by the caller).</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(100);

    /// <summary>The back-off after <paramref name="failures"/> failures in a row (1 for the first), jittered with <paramref name="random"/>.</summary>
    public TimeSpan BackoffAfter(int failures, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var exponent = Math.Clamp(failures - 1, 0, 30);
        var nominal = Math.Min(FirstBackoff.TotalMilliseconds * Math.Pow(2, exponent), MaxBackoff.TotalMilliseconds);
        var factor = 1 + (Jitter * ((2 * random.NextDouble()) - 1));
        return TimeSpan.FromMilliseconds(Math.Max(0, nominal * factor));
    }
}
