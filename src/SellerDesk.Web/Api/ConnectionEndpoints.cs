using SellerDesk.Ingestion.Connections;
using SellerDesk.Ingestion.Connectors.Common;
using SellerDesk.Web.Auth;

namespace SellerDesk.Web.Api;

/// <summary>
/// Marketplace connections and pulls for ops scripts: create a connection (by default scheduled daily at 06:00 with a
/// first pull of 90 days), set its schedule, queue a pull of a period (202 with the run id), read a run and the rows it
/// could not map, see what a connection owns and delete it keeping or removing that. Credentials go in and never come
/// out. Texts a user reads (errors, notices, reconciliation) come in both UI languages: <c>{"en": ..., "ru": ...}</c>.
/// </summary>
internal static class ConnectionEndpoints
{
    private static readonly LocalText ValidationTitle = new(
        "The request cannot be carried out as it is: see errors.",
        "Запрос нельзя выполнить в таком виде: см. ошибки.");

    public static RouteGroupBuilder MapConnectionEndpoints(this RouteGroupBuilder group)
    {
        group.MapGet("/connections", async (HttpContext http, ConnectionService connections, CancellationToken ct) =>
            Results.Ok((await connections.ListAsync(http.User.Workspace().Id, ct)).Select(ConnectionDto.Of)))
            .WithName("ListConnections")
            .WithTags("Connections")
            .WithSummary("The workspace's marketplace connections, with schedule, next run and last run")
            .Produces<IEnumerable<ConnectionDto>>();

        group.MapGet("/connections/{id:guid}", async (Guid id, HttpContext http, ConnectionService connections, CancellationToken ct) =>
            await connections.GetAsync(http.User.Workspace().Id, id, ct) is { } view ? Results.Ok(ConnectionDto.Of(view)) : NotFound("connection"))
            .WithName("GetConnection")
            .WithTags("Connections")
            .WithSummary("One connection (never its credentials: only which keys are set)")
            .Produces<ConnectionDto>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("/connections", async (CreateConnectionRequest request, HttpContext http, AuditedActions actions, CancellationToken ct) =>
            await OwnerOnlyAsync(http, async () =>
            {
                var schedule = request.Schedule is { } s
                    ? new PullSchedule(s.Cron, s.WindowDays ?? ConnectionService.DefaultWindowDays, s.Enabled ?? true)
                    : null;
                var created = await actions.CreateConnectionAsync(
                    Actor.Of(http),
                    http.User.Workspace().Id,
                    new NewConnection(request.Marketplace ?? string.Empty, request.Name ?? string.Empty, request.Credentials ?? [], request.BaseUrl)
                    {
                        Schedule = schedule,
                        BackfillDays = request.BackfillDays,
                    },
                    ct);
                return Results.Created($"/api/v1/connections/{created.Id}", new CreatedConnectionAnswer(created.Id, created.BackfillRunId));
            }))
            .WithName("CreateConnection")
            .WithTags("Connections")
            .WithSummary("Connect a marketplace account (Owner); the credentials are stored encrypted and never shown again. Unless told otherwise it gets a daily 06:00 schedule and a first pull of 90 days")
            .Produces<CreatedConnectionAnswer>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden);

        group.MapPut("/connections/{id:guid}/credentials", async (Guid id, Dictionary<string, string> credentials, HttpContext http, AuditedActions actions, CancellationToken ct) =>
            await OwnerOnlyAsync(http, async () =>
                await actions.ReplaceCredentialsAsync(Actor.Of(http), http.User.Workspace().Id, id, credentials, ct) ? Results.NoContent() : NotFound("connection")))
            .WithName("ReplaceConnectionCredentials")
            .WithTags("Connections")
            .WithSummary("Replace a connection's credentials, e.g. a new token after \"needs a new token\" (Owner)")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPut("/connections/{id:guid}/schedule", async (Guid id, ScheduleRequest request, HttpContext http, AuditedActions actions, ConnectionService connections, CancellationToken ct) =>
            await OwnerOnlyAsync(http, async () =>
            {
                var schedule = new PullSchedule(request.Cron, request.WindowDays ?? ConnectionService.DefaultWindowDays, request.Enabled ?? true);
                return await actions.SetScheduleAsync(Actor.Of(http), http.User.Workspace().Id, id, schedule, ct)
                    ? Results.Ok(ConnectionDto.Of((await connections.GetAsync(http.User.Workspace().Id, id, ct))!))
                    : NotFound("connection");
            }))
            .WithName("SetConnectionSchedule")
            .WithTags("Connections")
            .WithSummary("Set, pause or resume a connection's pull schedule (Owner)")
            .WithDescription("cron: six fields, seconds first, in the workspace's time zone ('0 0 6 * * ?' is daily at 06:00); window_days: how many days back each run pulls again (1-366, default 14); enabled: false pauses and keeps the cron.")
            .Produces<ConnectionDto>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("/connections/{id:guid}/pulls", async (Guid id, PullRequest? request, HttpContext http, AuditedActions actions, CancellationToken ct) =>
            await OwnerOnlyAsync(http, async () =>
                await actions.QueuePullAsync(Actor.Of(http), http.User.Workspace().Id, id, request?.From, request?.To, ConnectionService.ApiTrigger, PullStart.Api, ct) is { } runId
                    ? Results.Accepted($"/api/v1/pulls/{runId}", new { id = runId })
                    : NotFound("connection")))
            .WithName("QueuePull")
            .WithTags("Pulls")
            .WithSummary("Queue a pull of a period (Owner): answers 202 with the run's id at once")
            .WithDescription("from/to: the days to pull (YYYY-MM-DD, up to 731 days, not in the future); both left out: the connection's trailing window up to today. Follow the Location header to see the run.")
            .Produces<CreatedAnswer>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/connections/{id:guid}/data", async (Guid id, HttpContext http, ConnectionService connections, CancellationToken ct) =>
            await connections.DataAsync(http.User.Workspace().Id, id, ct) is { } data ? Results.Ok(ConnectionDataDto.Of(data)) : NotFound("connection"))
            .WithName("GetConnectionData")
            .WithTags("Connections")
            .WithSummary("What the connection's pulls stored: its ledger rows by kind, so a delete can say what ?data=remove takes away")
            .Produces<ConnectionDataDto>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        // Deleting asks what becomes of the connection's ledger rows: ?data=keep (they stay, as files' rows) or
        // ?data=remove (they go with it). Its runs stay either way.
        group.MapDelete("/connections/{id:guid}", async (Guid id, string? data, HttpContext http, AuditedActions actions, CancellationToken ct) =>
            await OwnerOnlyAsync(http, async () =>
            {
                ConnectionDataChoice? choice = data?.Trim().ToLowerInvariant() switch
                {
                    "keep" => ConnectionDataChoice.Keep,
                    "remove" => ConnectionDataChoice.Remove,
                    _ => null,
                };
                if (choice is null)
                {
                    return Results.Problem(
                        title: "Say what becomes of the connection's data: ?data=keep (its rows stay, as if imported from files) or ?data=remove (its rows are deleted with it).",
                        statusCode: StatusCodes.Status400BadRequest);
                }

                return await actions.DeleteConnectionAsync(Actor.Of(http), http.User.Workspace().Id, id, choice.Value, ct) ? Results.NoContent() : NotFound("connection");
            }))
            .WithName("DeleteConnection")
            .WithTags("Connections")
            .WithSummary("Delete a connection and its schedule; ?data=keep leaves its ledger rows as if imported from files, ?data=remove deletes them; its run history stays (Owner)")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/connections/{id:guid}/pulls", async (Guid id, HttpContext http, ConnectionService connections, CancellationToken ct) =>
            Results.Ok((await connections.RunsAsync(http.User.Workspace().Id, id, 50, ct)).Select(PullRunDto.Of)))
            .WithName("ListConnectionPulls")
            .WithTags("Pulls")
            .WithSummary("The connection's latest 50 pull runs, newest first")
            .Produces<IEnumerable<PullRunDto>>();

        group.MapGet("/pulls/{id:guid}", async (Guid id, HttpContext http, ConnectionService connections, CancellationToken ct) =>
            await connections.GetRunAsync(http.User.Workspace().Id, id, ct) is { } run ? Results.Ok(PullRunDto.Of(run)) : NotFound("pull run"))
            .WithName("GetPull")
            .WithTags("Pulls")
            .WithSummary("One pull run: status, counts, reconciliation, error and timing")
            .Produces<PullRunDto>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/pulls/{id:guid}/gaps", async (Guid id, HttpContext http, ConnectionService connections, CancellationToken ct) =>
            await connections.GapsAsync(http.User.Workspace().Id, id, ct) is { } gaps ? Results.Ok(gaps.Select(PullGapDto.Of)) : NotFound("pull run"))
            .WithName("ListPullGaps")
            .WithTags("Pulls")
            .WithSummary("The rows a pull run read but could not turn into ledger rows, with the marketplace's raw payload and why")
            .Produces<IEnumerable<PullGapDto>>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        return group;
    }

    private static async Task<IResult> OwnerOnlyAsync(HttpContext http, Func<Task<IResult>> action)
    {
        if (!http.User.Allows(Policies.Connections))
        {
            return Results.Problem(title: "Only an Owner or Ops token may change connections or start pulls.", statusCode: StatusCodes.Status403Forbidden);
        }

        try
        {
            return await action();
        }
        catch (ConnectionValidationException ex)
        {
            // errors stay English (as before); error_texts carry each message in both UI languages, as {en, ru}
            // like every other text a user reads on this API, and title_text the title.
            return Results.ValidationProblem(
                ex.Errors.ToDictionary(e => e.Key, e => e.Value),
                title: ValidationTitle.En,
                extensions: new Dictionary<string, object?>
                {
                    ["title_text"] = new TextDto(ValidationTitle.En, ValidationTitle.Ru),
                    ["error_texts"] = ex.Texts.ToDictionary(e => e.Key, e => e.Value.Select(t => new TextDto(t.En, t.Ru)).ToArray()),
                });
        }
    }

    private static IResult NotFound(string what) =>
        Results.Problem(title: $"There is no such {what} in this workspace.", statusCode: StatusCodes.Status404NotFound);
}

internal sealed record CreateConnectionRequest(
    string? Marketplace, string? Name, Dictionary<string, string>? Credentials, string? BaseUrl, ScheduleRequest? Schedule, int? BackfillDays);

internal sealed record ScheduleRequest(string? Cron, int? WindowDays, bool? Enabled);

internal sealed record PullRequest(DateOnly? From, DateOnly? To);

/// <summary>A connection on the wire: everything but the credentials (only which keys are set).</summary>
internal sealed record ConnectionDto(
    Guid Id,
    string Marketplace,
    string Name,
    string? BaseUrl,
    string Status,
    TextDto? LastError,
    string? Cron,
    int WindowDays,
    bool Enabled,
    DateTimeOffset? NextRunAt,
    PullRunDto? LastRun,
    IReadOnlyList<string> CredentialKeys)
{
    public static ConnectionDto Of(ConnectionView v) => new(
        v.Id, v.Marketplace, v.Name, v.BaseUrl, v.Status, TextDto.Of(v.LastError), v.Schedule.Cron, v.Schedule.WindowDays, v.Schedule.Enabled,
        v.NextRunAt, v.LastRun is null ? null : PullRunDto.Of(v.LastRun), v.CredentialKeys);
}

/// <summary>A text a user reads, in both UI languages.</summary>
internal sealed record TextDto(string En, string Ru)
{
    public static TextDto? Of(string? stored) => LocalText.Decode(stored) is { } text ? new TextDto(text.En, text.Ru) : null;

    public static IReadOnlyList<TextDto> Lines(string? stored) =>
        stored is null ? [] : [.. stored.Split('\n').Select(l => Of(l.TrimEnd('\r'))!)];
}

/// <summary>What a connection owns: what deleting it with <c>?data=remove</c> deletes.</summary>
internal sealed record ConnectionDataDto(long SalesLines, long Returns, long AdSpend, long Fees, long LedgerRows, long Orders, long SourceRows)
{
    public static ConnectionDataDto Of(ConnectionDataCounts c) => new(c.SalesLines, c.Returns, c.AdSpend, c.Fees, c.LedgerRows, c.Orders, c.SourceRows);
}

/// <summary>A source row (or rows) a run could not map into the ledger, with why and the raw payloads.</summary>
internal sealed record PullGapDto(
    int Seq, string? OrderKey, DateOnly BusinessDate, string Reason, decimal PayoutEffect, IReadOnlyList<string> SourceIds, IReadOnlyList<string> Payloads, bool Current)
{
    public static PullGapDto Of(PullGapView g) => new(g.Seq, g.OrderKey, g.BusinessDate, g.Reason, g.PayoutEffect, g.SourceIds, g.Payloads, g.Current);
}

/// <summary>A pull run on the wire: <c>{id, status, rows_read, inserted, updated, error, started_at, finished_at}</c> and more.</summary>
internal sealed record PullRunDto(
    Guid Id,
    Guid? ConnectionId,
    string? ConnectionName,
    string? Marketplace,
    string Status,
    string Trigger,
    DateOnly From,
    DateOnly To,
    int PagesRead,
    int RowsRead,
    int Inserted,
    int Updated,
    TextDto? Error,
    decimal? MarketplacePayout,
    decimal? LedgerPayout,
    decimal? PayoutDifference,
    decimal? UnmappedPayout,
    TextDto? Reconciliation,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    DateTimeOffset? ScheduledFor,
    string? Node,
    IReadOnlyList<TextDto> Notices)
{
    public static PullRunDto Of(PullRunView r) => new(
        r.Id, r.ConnectionId, r.ConnectionName, r.Marketplace, r.Status, r.Trigger, r.From, r.To, r.PagesRead, r.RowsRead, r.Inserted, r.Updated,
        TextDto.Of(r.Error), r.MarketplacePayout, r.LedgerPayout, r.PayoutDifference, r.UnmappedPayout, TextDto.Of(r.Reconciliation),
        r.CreatedAt, r.StartedAt, r.FinishedAt, r.ScheduledFor, r.Node, TextDto.Lines(r.Notices));
}
