using System.Collections.Concurrent;
using System.Globalization;
using System.Net;

namespace SellerDesk.Ingestion.Connectors.Http;

/// <summary>
/// Sends marketplace requests the way every connector must (docs/decisions/0006, marketplaces.md last section):
/// waits as the marketplace advises when throttled (HTTP 429, Yandex Market's 420, or a body the caller recognises),
/// backs off with jitter on 5xx, network errors and timeouts, stops at once on 401/403, and turns each outcome into a
/// <see cref="ConnectorException"/> a seller can act on. All waits go through the <see cref="TimeProvider"/>.
/// </summary>
/// <remarks>
/// The per-try timeout (<see cref="ResilienceOptions.AttemptTimeout"/>) runs on real time, not on the
/// <see cref="TimeProvider"/>: a test clock that skips waits must not also fire request timeouts.
/// </remarks>
public sealed class ResilientHttpSender
{
    private const string WildberriesRetryHeader = "X-Ratelimit-Retry";
    private const int BodySnippetLength = 300;

    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly Random _random;
    private readonly Lock _randomLock = new();
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _gates = new(StringComparer.Ordinal);

    /// <summary>A sender over <paramref name="http"/>; <paramref name="random"/> drives the jitter (seed it in tests).</summary>
    public ResilientHttpSender(HttpClient http, TimeProvider time, Random? random = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(time);
        _http = http;
        _time = time;
        _random = random ?? Random.Shared;
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
        try
        {
            var throttledTries = 0;
            var failures = new List<TryFailure>();
            for (var tries = 1; ; tries++)
            {
                var (response, failure) = await TryOnceAsync(request, options, cancellationToken);
                if (failure is not null)
                {
                    failures.Add(failure);
                    await BackOffOrGiveUpAsync(request.Marketplace, options, failures, cancellationToken);
                    continue;
                }

                var status = response!.StatusCode;
                if (await IsThrottledAsync(request, response, cancellationToken))
                {
                    var delay = AdvisedDelay(request, options, response);
                    response.Dispose();
                    throttledTries++;
                    ThrowIfStillThrottled(request.Marketplace, options, throttledTries, delay);
                    await Task.Delay(delay, _time, cancellationToken);
                    continue;
                }

                if (status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden && request.AcceptStatus?.Invoke(status) != true)
                {
                    response.Dispose();
                    var hint = string.IsNullOrWhiteSpace(request.TokenHint) ? string.Empty : " " + request.TokenHint;
                    throw new ConnectorException(
                        ConnectorFailure.Unauthorized,
                        $"token rejected by {request.Marketplace}: paste a new one{hint}");
                }

                if ((int)status >= 500 || status == HttpStatusCode.RequestTimeout)
                {
                    response.Dispose();
                    failures.Add(new TryFailure((int)status, $"HTTP {(int)status}", null));
                    await BackOffOrGiveUpAsync(request.Marketplace, options, failures, cancellationToken);
                    continue;
                }

                if (response.IsSuccessStatusCode || request.AcceptStatus?.Invoke(status) == true)
                {
                    handedOver = true;
                    return new MarketplaceResponse(response, tries, gate is null ? null : () => gate.Release());
                }

                using (response)
                {
                    var snippet = await BodySnippetAsync(response, cancellationToken);
                    throw new ConnectorException(
                        ConnectorFailure.BadResponse,
                        $"{request.Marketplace} refused the request with HTTP {(int)status}{snippet}");
                }
            }
        }
        finally
        {
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
        TimeSpan delay;
        lock (_randomLock)
        {
            delay = options.BackoffAfter(failures, _random);
        }

        return Task.Delay(delay, _time, cancellationToken);
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

    private async Task<(HttpResponseMessage? Response, TryFailure? Failure)> TryOnceAsync(
        MarketplaceRequest request, ResilienceOptions options, CancellationToken cancellationToken)
    {
        using var message = request.Create();
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(options.AttemptTimeout);
        try
        {
            var response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, attempt.Token);
            return (response, null);
        }
        catch (HttpRequestException ex) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, new TryFailure(null, "network error: " + ex.Message, ex));
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, new TryFailure(null, "no answer within " + Duration(options.AttemptTimeout), ex, TimedOut: true));
        }
    }

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

    private static void ThrowIfStillThrottled(string marketplace, ResilienceOptions options, int throttledTries, TimeSpan delay)
    {
        if (delay > options.MaxThrottleDelay)
        {
            throw new ConnectorException(
                ConnectorFailure.Throttled,
                $"{marketplace} asks to wait {Duration(delay)} before the next request; the next scheduled run will continue");
        }

        if (throttledTries >= options.MaxThrottledTries)
        {
            throw new ConnectorException(
                ConnectorFailure.Throttled,
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"{marketplace} is still throttling after {throttledTries} tries; the next scheduled run will continue"));
        }
    }

    private async Task BackOffOrGiveUpAsync(
        string marketplace, ResilienceOptions options, List<TryFailure> failures, CancellationToken cancellationToken)
    {
        if (failures.Count >= options.MaxFailedTries)
        {
            throw new ConnectorException(ConnectorFailure.Unavailable, UnavailableMessage(marketplace, failures), failures[^1].Error);
        }

        await BackOffAsync(failures.Count, options, cancellationToken);
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

    private static async Task<string> BodySnippetAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        string body;
        try
        {
            body = await response.Content.ReadAsStringAsync(cancellationToken);
        }
        catch (HttpRequestException)
        {
            return string.Empty;
        }

        body = body.ReplaceLineEndings(" ").Trim();
        if (body.Length == 0)
        {
            return string.Empty;
        }

        return ": " + (body.Length > BodySnippetLength ? body[..BodySnippetLength] + "..." : body);
    }

    /// <summary>One failed try: the HTTP status if it got one, what happened in words, the exception if any.</summary>
    private sealed record TryFailure(int? Status, string Description, Exception? Error, bool TimedOut = false);
}
