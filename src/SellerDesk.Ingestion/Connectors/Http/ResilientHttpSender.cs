using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.Timeout;
using SellerDesk.Ingestion.Connectors.Common;

namespace SellerDesk.Ingestion.Connectors.Http;

/// <summary>
/// Sends marketplace requests the way every connector must (docs/decisions/0006, 0013, marketplaces.md last section):
/// waits as the marketplace advises when throttled (HTTP 429, Yandex Market's 420, or a body the caller recognises),
/// backs off with jitter on 5xx, network errors and timeouts, stops at once on 401/403, and turns each outcome into a
/// <see cref="ConnectorException"/> a seller can act on. The tries run in a Polly resilience pipeline built with
/// <c>Microsoft.Extensions.Http.Resilience</c> (a retry whose predicate and delay are the marketplace rules, inside it a
/// per-try timeout); all waits go through the <see cref="TimeProvider"/>. Redirects are failures, never followed; a
/// refusal's body is never quoted; a body is read up to <see cref="MarketplaceHttpOptions.MaxResponseBytes"/>.
/// </summary>
/// <remarks>
/// The per-try timeout (<see cref="ResilienceOptions.AttemptTimeout"/>) runs on real time, not on the
/// <see cref="TimeProvider"/>: a test clock that skips waits must not also fire request timeouts.
/// </remarks>
public sealed class ResilientHttpSender
{
    private const string WildberriesRetryHeader = "X-Ratelimit-Retry";

    private static readonly ResiliencePropertyKey<SendState> StateKey = new("SellerDesk.MarketplaceSend");

    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly Random _random;
    private readonly long _maxResponseBytes;
    private readonly Lock _randomLock = new();
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _gates = new(StringComparer.Ordinal);
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;

    /// <summary>
    /// A sender over <paramref name="http"/>; <paramref name="random"/> drives the jitter (seed it in tests);
    /// <paramref name="options"/> gives the response size limit (<see cref="MarketplaceHttpOptions.DefaultMaxResponseBytes"/> when null).
    /// </summary>
    public ResilientHttpSender(HttpClient http, TimeProvider time, Random? random = null, MarketplaceHttpOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(time);
        _http = http;
        _time = time;
        _random = random ?? Random.Shared;
        _maxResponseBytes = options?.MaxResponseBytes is > 0 and var max ? max : MarketplaceHttpOptions.DefaultMaxResponseBytes;
        _pipeline = BuildPipeline();
    }

    /// <summary>
    /// Sends the request until it gets a usable answer (2xx, or a status <see cref="MarketplaceRequest.AcceptStatus"/>
    /// takes) and returns it with only the headers read. Dispose the response when its body is read.
    /// </summary>
    /// <exception cref="ConnectorException">Unauthorized, Throttled, Unavailable or BadResponse, with a plain message.</exception>
    public async Task<MarketplaceResponse> SendAsync(MarketplaceRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var options = request.Options ?? ResilienceOptions.Default;
        var gate = request.SerialKey is null ? null : _gates.GetOrAdd(request.SerialKey, _ => new SemaphoreSlim(1, 1));
        if (gate is not null)
        {
            await gate.WaitAsync(cancellationToken);
        }

        var handedOver = false;
        var state = new SendState(this, request, options, cancellationToken);
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        try
        {
            context.Properties.Set(StateKey, state);
            var outcome = await _pipeline.ExecuteOutcomeAsync(
                static (ctx, s) => s.Sender.TryOnceAsync(s, ctx.CancellationToken), context, state);
            if (state.GiveUp is { } giveUp)
            {
                outcome.Result?.Dispose();
                throw giveUp;
            }

            outcome.ThrowIfException();
            var response = outcome.Result!;
            var status = response.StatusCode;
            if (status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden && request.AcceptStatus?.Invoke(status) != true)
            {
                response.Dispose();
                var hint = string.IsNullOrWhiteSpace(request.TokenHint) ? string.Empty : " " + request.TokenHint;
                throw new ConnectorException(
                    ConnectorFailure.Unauthorized,
                    $"token rejected by {request.Marketplace}: paste a new one{hint}");
            }

            if (response.IsSuccessStatusCode || request.AcceptStatus?.Invoke(status) == true)
            {
                handedOver = true;
                return new MarketplaceResponse(response, state.Tries, gate is null ? null : () => gate.Release());
            }

            response.Dispose();
            if ((int)status is >= 300 and < 400)
            {
                throw Redirected(request.Marketplace, (int)status);
            }

            // The body is not quoted: it can hold anything, a token echoed back or an internal address among it.
            throw new ConnectorException(
                ConnectorFailure.BadResponse,
                string.Create(CultureInfo.InvariantCulture, $"{request.Marketplace} refused the request with HTTP {(int)status}"));
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
            if (!handedOver)
            {
                gate?.Release();
            }
        }
    }

    /// <summary>
    /// Waits the jittered back-off after <paramref name="failures"/> failures in a row, on this sender's clock: for
    /// failures the caller sees itself (a response body that breaks off while streaming).
    /// </summary>
    public Task BackOffAsync(int failures, ResilienceOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Task.Delay(Jittered(failures, options), _time, cancellationToken);
    }

    /// <summary>Says how many tries, in words a seller reads ("once", "twice", "five times").</summary>
    public static string Times(int count) => count switch
    {
        1 => "once",
        2 => "twice",
        >= 3 and <= 10 => NumberWords[count] + " times",
        _ => count.ToString(CultureInfo.InvariantCulture) + " times",
    };

    /// <summary>A wait as a seller reads it: "45 s", "2 min", "11 h 39 min".</summary>
    public static string Duration(TimeSpan span)
    {
        if (span < TimeSpan.FromMinutes(2))
        {
            return Math.Ceiling(span.TotalSeconds).ToString(CultureInfo.InvariantCulture) + " s";
        }

        if (span < TimeSpan.FromHours(1))
        {
            return Math.Ceiling(span.TotalMinutes).ToString(CultureInfo.InvariantCulture) + " min";
        }

        var hours = (int)span.TotalHours;
        return span.Minutes == 0
            ? hours.ToString(CultureInfo.InvariantCulture) + " h"
            : string.Create(CultureInfo.InvariantCulture, $"{hours} h {span.Minutes} min");
    }

    private static readonly string[] NumberWords =
        ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"];

    /// <summary>
    /// The pipeline of one send: a retry whose predicate classifies each try by the marketplace rules (throttled: wait
    /// as advised; failed: back off; anything else: hand it back) and whose delay is the one the predicate chose, and
    /// inside it a per-try timeout on real time. Polly disposes the answers of tries it retries.
    /// </summary>
    private ResiliencePipeline<HttpResponseMessage> BuildPipeline()
    {
        var attempt = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = TimeProvider.System }
            .AddTimeout(new HttpTimeoutStrategyOptions
            {
                TimeoutGenerator = args => ValueTask.FromResult(args.Context.Properties.GetValue(StateKey, null!).Options.AttemptTimeout),
            })
            .Build();

        var retry = new HttpRetryStrategyOptions
        {
            ShouldRetryAfterHeader = false,
            MaxRetryAttempts = int.MaxValue,
            UseJitter = false,
            ShouldHandle = args => args.Context.Properties.GetValue(StateKey, null!).ShouldRetryAsync(args.Outcome),
            DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(args.Context.Properties.GetValue(StateKey, null!).NextDelay),
            OnRetry = args =>
            {
                args.Outcome.Result?.Dispose();
                return ValueTask.CompletedTask;
            },
        };

        return new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = _time }
            .AddRetry(retry)
            .AddPipeline(attempt)
            .Build();
    }

    private async ValueTask<Outcome<HttpResponseMessage>> TryOnceAsync(SendState state, CancellationToken cancellationToken)
    {
        state.Tries++;
        using var message = state.Request.Create();
        try
        {
            var response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            response.Content = new LimitedContent(response.Content, _maxResponseBytes, state.Request.Marketplace);
            return Outcome.FromResult(response);
        }
        catch (Exception ex)
        {
            return Outcome.FromException<HttpResponseMessage>(ex);
        }
    }

    private TimeSpan Jittered(int failures, ResilienceOptions options)
    {
        lock (_randomLock)
        {
            return options.BackoffAfter(failures, _random);
        }
    }

    private static ConnectorException Redirected(string marketplace, int status) => new(
        ConnectorFailure.BadResponse,
        new LocalText(
            string.Create(CultureInfo.InvariantCulture, $"{marketplace} answered with a redirect (HTTP {status}); SellerDesk does not follow redirects: check the connection's base URL"),
            string.Create(CultureInfo.InvariantCulture, $"{marketplace} ответил перенаправлением (HTTP {status}); SellerDesk не переходит по перенаправлениям: проверьте адрес API подключения")));

    private static ConnectorException Refused(string marketplace, RefusedAddressException refused) => new(
        ConnectorFailure.BadResponse,
        new LocalText(
            $"{marketplace}: the host '{refused.Host}' resolves to an internal address ({refused.Address}); SellerDesk does not connect to private, loopback or link-local addresses unless the server's operator allows the host (Connectors:Http:AllowedHosts)",
            $"{marketplace}: хост '{refused.Host}' указывает на внутренний адрес ({refused.Address}); SellerDesk не подключается к частным, локальным и link-local адресам, если администратор сервера не разрешил этот хост (Connectors:Http:AllowedHosts)"),
        refused);

    private static async Task<bool> IsThrottledAsync(
        MarketplaceRequest request, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var code = (int)response.StatusCode;
        if (code is 429 or 420)
        {
            return true;
        }

        if (request.IsThrottledBody is null || !(response.IsSuccessStatusCode || code is >= 400 and < 500))
        {
            return false;
        }

        await response.Content.LoadIntoBufferAsync(cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        return request.IsThrottledBody(response.StatusCode, body);
    }

    private TimeSpan AdvisedDelay(MarketplaceRequest request, ResilienceOptions options, HttpResponseMessage response)
    {
        var advised = request.ReadRetryDelay?.Invoke(response) ?? WildberriesRetry(response) ?? RetryAfter(response);
        var delay = advised ?? options.DefaultThrottleDelay;
        return delay < TimeSpan.Zero ? TimeSpan.Zero : delay;
    }

    private static TimeSpan? WildberriesRetry(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues(WildberriesRetryHeader, out var values))
        {
            return null;
        }

        var text = values.FirstOrDefault();
        return decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0
            ? TimeSpan.FromSeconds((double)seconds)
            : null;
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        return header?.Date is { } date ? date - _time.GetUtcNow() : null;
    }

    private static string UnavailableMessage(string marketplace, List<TryFailure> failures)
    {
        var times = Times(failures.Count);
        const string Next = "; the pull will retry at the next run";
        var first = failures[0];
        if (first.Status is { } status && failures.TrueForAll(f => f.Status == status))
        {
            return string.Create(CultureInfo.InvariantCulture, $"{marketplace} answered {status} {times} in a row{Next}");
        }

        if (failures.TrueForAll(f => f.TimedOut))
        {
            return $"{marketplace} gave {first.Description} {times} in a row{Next}";
        }

        return $"{marketplace} failed {times} in a row (last: {failures[^1].Description}){Next}";
    }

    /// <summary>
    /// What one send has seen so far, kept in the pipeline's context: the tries, the failures in a row and the throttled
    /// answers, the wait chosen for the next try, and the failure to end with when the rules say to give up.
    /// </summary>
    private sealed class SendState(ResilientHttpSender sender, MarketplaceRequest request, ResilienceOptions options, CancellationToken caller)
    {
        private readonly List<TryFailure> _failures = [];
        private int _throttledTries;

        public ResilientHttpSender Sender { get; } = sender;

        public MarketplaceRequest Request { get; } = request;

        public ResilienceOptions Options { get; } = options;

        public int Tries { get; set; }

        public TimeSpan NextDelay { get; private set; }

        public ConnectorException? GiveUp { get; private set; }

        /// <summary>Whether to try again after <paramref name="outcome"/>, choosing the wait; false hands it back.</summary>
        public async ValueTask<bool> ShouldRetryAsync(Outcome<HttpResponseMessage> outcome)
        {
            NextDelay = TimeSpan.Zero;
            if (outcome.Exception is { } error)
            {
                return Exception(error);
            }

            var response = outcome.Result!;
            var status = response.StatusCode;
            if (await IsThrottledAsync(Request, response, caller))
            {
                var delay = Sender.AdvisedDelay(Request, Options, response);
                _throttledTries++;
                if (delay > Options.MaxThrottleDelay)
                {
                    GiveUp = new ConnectorException(
                        ConnectorFailure.Throttled,
                        $"{Request.Marketplace} asks to wait {Duration(delay)} before the next request; the next scheduled run will continue");
                    return false;
                }

                if (_throttledTries >= Options.MaxThrottledTries)
                {
                    GiveUp = new ConnectorException(
                        ConnectorFailure.Throttled,
                        string.Create(
                            CultureInfo.InvariantCulture,
                            $"{Request.Marketplace} is still throttling after {_throttledTries} tries; the next scheduled run will continue"));
                    return false;
                }

                NextDelay = delay;
                return true;
            }

            if (status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                return false;
            }

            return ((int)status >= 500 || status == HttpStatusCode.RequestTimeout)
                && Failed(new TryFailure((int)status, $"HTTP {(int)status}", null));
        }

        private bool Exception(Exception error)
        {
            if (caller.IsCancellationRequested)
            {
                return false;
            }

            if (Find<ConnectorException>(error) is { } connector)
            {
                GiveUp = connector;
                return false;
            }

            if (Find<RefusedAddressException>(error) is { } refused)
            {
                GiveUp = ResilientHttpSender.Refused(Request.Marketplace, refused);
                return false;
            }

            return error switch
            {
                TimeoutRejectedException or OperationCanceledException =>
                    Failed(new TryFailure(null, "no answer within " + Duration(Options.AttemptTimeout), error, TimedOut: true)),
                HttpRequestException => Failed(new TryFailure(null, "network error: " + error.Message, error)),
                _ => false,
            };
        }

        private bool Failed(TryFailure failure)
        {
            _failures.Add(failure);
            if (_failures.Count >= Options.MaxFailedTries)
            {
                GiveUp = new ConnectorException(ConnectorFailure.Unavailable, UnavailableMessage(Request.Marketplace, _failures), failure.Error);
                return false;
            }

            NextDelay = Sender.Jittered(_failures.Count, Options);
            return true;
        }

        private static T? Find<T>(Exception? error)
            where T : Exception
        {
            for (var e = error; e is not null; e = e.InnerException)
            {
                if (e is T found)
                {
                    return found;
                }
            }

            return null;
        }
    }

    /// <summary>One failed try: the HTTP status if it got one, what happened in words, the exception if any.</summary>
    private sealed record TryFailure(int? Status, string Description, Exception? Error, bool TimedOut = false);
}
