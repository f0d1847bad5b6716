using Hangfire;
using SellerDesk.Ingestion.Scheduling;

namespace SellerDesk.Web.Features.Alerts;

/// <summary>
/// The alerts' background work on Hangfire: evaluation of one workspace after each of its pulls, the daily evaluation
/// of every workspace with rules, the retries of messages that failed, and the hourly look for digests that are due.
/// </summary>
public sealed class AlertJobs(AlertService alerts, AlertDeliveries deliveries, DailyDigest digest, ILogger<AlertJobs> logger)
{
    public const string DailyJobId = "alerts-daily";

    public const string DigestJobId = "alerts-digest";

    public const string OverdueJobId = "alerts-overdue";

    /// <summary>Evaluation after a pull. Retried twice if the database was away; an alert is never opened twice either way.</summary>
    [JobDisplayName("Alerts of workspace {0}")]
    [AutomaticRetry(Attempts = 2, DelaysInSeconds = [30, 120], OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    public async Task EvaluateWorkspaceAsync(Guid workspaceId, CancellationToken cancellationToken)
    {
        var result = await alerts.EvaluateAsync(workspaceId, cancellationToken);
        if (result.Opened + result.Cleared > 0)
        {
            logger.LogInformation(
                "Alerts of workspace {Workspace}: {Opened} opened, {Cleared} cleared, {Sent} message(s) sent, {Retrying} waiting for a retry",
                workspaceId, result.Opened, result.Cleared, result.Sent, result.Retrying);
        }
    }

    /// <summary>Once a day: every workspace with an enabled rule (one workspace's trouble does not stop the others).</summary>
    [JobDisplayName("Alerts: daily evaluation")]
    [AutomaticRetry(Attempts = 0, OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    public async Task EvaluateAllAsync(CancellationToken cancellationToken)
    {
        foreach (var workspace in await alerts.WorkspacesWithRulesAsync(cancellationToken))
        {
            try
            {
                await EvaluateWorkspaceAsync(workspace, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "The daily alert evaluation of workspace {Workspace} failed", workspace);
            }
        }
    }

    /// <summary>A message's next attempt (its own backoff, not Hangfire's: each attempt is kept in the alert's history).</summary>
    [JobDisplayName("Alert message {1}: retry")]
    [AutomaticRetry(Attempts = 0, OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    public Task RetryDeliveryAsync(Guid workspaceId, Guid deliveryId, CancellationToken cancellationToken) =>
        deliveries.RetryAsync(workspaceId, deliveryId, cancellationToken);

    /// <summary>Every 10 minutes: messages whose retry is due but whose own retry job never ran (never one not yet due).</summary>
    [JobDisplayName("Alerts: overdue message retries")]
    [AutomaticRetry(Attempts = 0, OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    public async Task SendOverdueAsync(CancellationToken cancellationToken)
    {
        var sent = await deliveries.SendOverdueAsync(cancellationToken);
        if (sent > 0)
        {
            logger.LogInformation("Alerts: {Sent} overdue message(s) sent", sent);
        }
    }

    /// <summary>Hourly: the digests whose local hour has come and that have not gone today.</summary>
    [JobDisplayName("Alerts: morning digests that are due")]
    [AutomaticRetry(Attempts = 0, OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    public Task SendDigestsAsync(CancellationToken cancellationToken) => digest.SendDueAsync(cancellationToken);
}

/// <summary>After every pull run: the run's workspace is evaluated by a job of its own (the pull does not wait for it).</summary>
public sealed class AlertPullListener(AlertService alerts, IBackgroundJobClient jobs) : IPullListener
{
    public async Task PullFinishedAsync(Guid runId, CancellationToken cancellationToken)
    {
        if (await alerts.WorkspaceOfRunAsync(runId, cancellationToken) is { } workspace)
        {
            jobs.Enqueue<AlertJobs>(job => job.EvaluateWorkspaceAsync(workspace, CancellationToken.None));
        }
    }
}
