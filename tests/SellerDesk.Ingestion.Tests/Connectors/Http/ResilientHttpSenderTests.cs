using System.Net;
using System.Text;
using SellerDesk.Ingestion.Connectors;
using SellerDesk.Ingestion.Connectors.Http;
using SellerDesk.Testing.Marketplaces;

namespace SellerDesk.Ingestion.Tests.Connectors.Http;

/// <summary>The shared sender's rules for the other marketplaces' ways of saying "slow down" or "go away".</summary>
public sealed class ResilientHttpSenderTests
{
    private readonly SkippingTimeProvider _time = new();

    [Fact]
    public async Task Yandex_Market_420_is_throttling_and_Retry_After_is_honoured()
    {
        var handler = new ScriptedHandler(
            () => Answer((HttpStatusCode)420, """{"status":"ERROR","errors":[{"code":"LIMIT_EXCEEDED"}]}""", retryAfter: 4),
            () => Answer(HttpStatusCode.OK, "{}"));

        using var response = await Sender(handler).SendAsync(Request("Yandex Market"), CancellationToken.None);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Tries.Should().Be(2);
        _time.Delays.Should().Equal(TimeSpan.FromSeconds(4));
    }

    [Fact]
    public async Task An_Ozon_rate_limit_message_is_throttling_when_the_caller_recognises_it_whatever_the_status()
    {
        var handler = new ScriptedHandler(
            () => Answer(HttpStatusCode.OK, """{"code":8,"message":"You have reached request rate limit per second"}"""),
            () => Answer(HttpStatusCode.BadRequest, """{"code":8,"message":"rate limit exceeded"}"""),
            () => Answer(HttpStatusCode.OK, """{"result":[]}"""));
        var request = new MarketplaceRequest("Ozon", () => new HttpRequestMessage(HttpMethod.Post, "http://ozon.test/v2/posting/fbo/list"))
        {
            IsThrottledBody = (_, body) => body.Contains("rate limit", StringComparison.OrdinalIgnoreCase),
        };

        using var response = await Sender(handler).SendAsync(request, CancellationToken.None);

        (await response.Message.Content.ReadAsStringAsync()).Should().Be("""{"result":[]}""");
        _time.Delays.Should().Equal(ResilienceOptions.Default.DefaultThrottleDelay, ResilienceOptions.Default.DefaultThrottleDelay);
        handler.Calls.Should().Be(3, "every try sends a freshly built request");
    }

    [Fact]
    public async Task A_403_stops_at_once_with_the_marketplace_named()
    {
        var handler = new ScriptedHandler(() => Answer(HttpStatusCode.Forbidden, "{}"));

        var send = () => Sender(handler).SendAsync(Request("Ozon"), CancellationToken.None);

        (await send.Should().ThrowAsync<ConnectorException>()).Which.Should().Match<ConnectorException>(e =>
            e.Failure == ConnectorFailure.Unauthorized && e.Message == "token rejected by Ozon: paste a new one");
        handler.Calls.Should().Be(1);
    }

    [Fact]
    public async Task A_401_the_caller_accepts_is_handed_back_with_its_body_to_tell_a_missing_token_category_apart()
    {
        const string Body = """{"title":"unauthorized","detail":"token scope not allowed","status":401}""";
        var handler = new ScriptedHandler(() => Answer(HttpStatusCode.Unauthorized, Body));
        var request = new MarketplaceRequest("Wildberries", () => new HttpRequestMessage(HttpMethod.Post, "http://wb.test/api/finance/v1/sales-reports/detailed"))
        {
            AcceptStatus = status => status == HttpStatusCode.Unauthorized,
        };

        using var response = await Sender(handler).SendAsync(request, CancellationToken.None);

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await response.Message.Content.ReadAsStringAsync()).Should().Be(Body);
        handler.Calls.Should().Be(1, "a rejected token is still not retried");
    }

    [Fact]
    public async Task Network_errors_back_off_then_fail_as_unavailable_saying_what_went_wrong()
    {
        var handler = new ScriptedHandler(() => throw new HttpRequestException("Connection refused"));

        var send = () => Sender(handler).SendAsync(Request("Yandex Market"), CancellationToken.None);

        (await send.Should().ThrowAsync<ConnectorException>()).Which.Should().Match<ConnectorException>(e =>
            e.Failure == ConnectorFailure.Unavailable
            && e.Message == "Yandex Market failed five times in a row (last: network error: Connection refused); the pull will retry at the next run");
        handler.Calls.Should().Be(5);
        _time.Delays.Should().HaveCount(4);
    }

    [Fact]
    public async Task A_try_that_gets_no_answer_in_time_counts_as_a_failure()
    {
        var handler = new ScriptedHandler(
            () => throw new TaskCanceledException("timed out", new TimeoutException()),
            () => Answer(HttpStatusCode.OK, "[]"));

        using var response = await Sender(handler).SendAsync(Request("Wildberries"), CancellationToken.None);

        response.Tries.Should().Be(2);
        _time.Delays.Should().ContainSingle();
    }

    [Fact]
    public async Task Another_client_error_fails_as_a_bad_response_without_quoting_the_answer()
    {
        // Before issue 10 the first 300 characters of the body were quoted: a body can echo a token or an internal detail.
        var handler = new ScriptedHandler(() => Answer(HttpStatusCode.BadRequest, """{"code":9,"message":"obsolete method cannot be used","key":"client-secret-123"}"""));

        var send = () => Sender(handler).SendAsync(Request("Ozon"), CancellationToken.None);

        (await send.Should().ThrowAsync<ConnectorException>()).Which.Should().Match<ConnectorException>(e =>
            e.Failure == ConnectorFailure.BadResponse
            && e.Message == "Ozon refused the request with HTTP 400");
        handler.Calls.Should().Be(1);
    }

    [Fact]
    public async Task Server_errors_in_a_row_fail_as_unavailable_naming_the_status_after_the_configured_tries()
    {
        var handler = new ScriptedHandler(() => Answer(HttpStatusCode.ServiceUnavailable, "<html>maintenance</html>"));
        var request = new MarketplaceRequest("Wildberries", () => new HttpRequestMessage(HttpMethod.Get, "http://marketplace.test/report"))
        {
            Options = new ResilienceOptions { MaxFailedTries = 3, Jitter = 0 },
        };

        var send = () => Sender(handler).SendAsync(request, CancellationToken.None);

        (await send.Should().ThrowAsync<ConnectorException>()).Which.Should().Match<ConnectorException>(e =>
            e.Failure == ConnectorFailure.Unavailable
            && e.Message == "Wildberries answered 503 three times in a row; the pull will retry at the next run");
        handler.Calls.Should().Be(3);
        _time.Delays.Should().Equal(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task Throttling_that_asks_for_a_longer_wait_than_allowed_ends_the_run_at_once()
    {
        var handler = new ScriptedHandler(() =>
        {
            var answer = Answer(HttpStatusCode.TooManyRequests, "{}");
            answer.Headers.Add("X-Ratelimit-Retry", "41939");
            return answer;
        });

        var send = () => Sender(handler).SendAsync(Request("Wildberries"), CancellationToken.None);

        (await send.Should().ThrowAsync<ConnectorException>()).Which.Should().Match<ConnectorException>(e =>
            e.Failure == ConnectorFailure.Throttled
            && e.Message == "Wildberries asks to wait 11 h 38 min before the next request; the next scheduled run will continue");
        handler.Calls.Should().Be(1);
        _time.Delays.Should().BeEmpty();
    }

    [Fact]
    public async Task Throttling_without_end_stops_after_the_configured_tries()
    {
        var handler = new ScriptedHandler(() => Answer(HttpStatusCode.TooManyRequests, "{}", retryAfter: 1));

        var send = () => Sender(handler).SendAsync(Request("Ozon"), CancellationToken.None);

        (await send.Should().ThrowAsync<ConnectorException>()).Which.Should().Match<ConnectorException>(e =>
            e.Failure == ConnectorFailure.Throttled
            && e.Message == "Ozon is still throttling after 5 tries; the next scheduled run will continue");
        handler.Calls.Should().Be(5);
        _time.Delays.Should().HaveCount(4).And.OnlyContain(d => d == TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task Cancellation_is_not_mistaken_for_a_timeout()
    {
        using var cancel = new CancellationTokenSource();
        var handler = new ScriptedHandler(() =>
        {
            cancel.Cancel();
            throw new OperationCanceledException(cancel.Token);
        });

        var send = () => Sender(handler).SendAsync(Request("Ozon"), cancel.Token);

        await send.Should().ThrowAsync<OperationCanceledException>();
        handler.Calls.Should().Be(1);
    }

    [Fact]
    public async Task Requests_with_one_serial_key_go_one_at_a_time_until_each_response_is_disposed()
    {
        var inFlight = 0;
        var most = 0;
        var handler = new ScriptedHandler(() =>
        {
            var now = Interlocked.Increment(ref inFlight);
            InterlockedMax(ref most, now);
            return Answer(HttpStatusCode.OK, "{}");
        });
        var sender = Sender(handler);

        await Task.WhenAll(Enumerable.Range(0, 6).Select(async _ =>
        {
            using var response = await sender.SendAsync(Request("Wildberries", serialKey: "connection-1"), CancellationToken.None);
            await Task.Delay(10);
            Interlocked.Decrement(ref inFlight);
        }));

        most.Should().Be(1);
        handler.Calls.Should().Be(6);
    }

    [Fact]
    public void Back_off_doubles_from_the_first_wait_within_the_jitter_and_stops_growing_at_the_cap()
    {
        var options = new ResilienceOptions { FirstBackoff = TimeSpan.FromSeconds(1), MaxBackoff = TimeSpan.FromSeconds(5), Jitter = 0 };

        Enumerable.Range(1, 5).Select(n => options.BackoffAfter(n, new Random(1)).TotalSeconds).Should().Equal(1, 2, 4, 5, 5);
    }

    private ResilientHttpSender Sender(ScriptedHandler handler) => new(new HttpClient(handler), _time, new Random(7));

    private static MarketplaceRequest Request(string marketplace, string? serialKey = null) =>
        new(marketplace, () => new HttpRequestMessage(HttpMethod.Get, "http://marketplace.test/report")) { SerialKey = serialKey };

    private static HttpResponseMessage Answer(HttpStatusCode status, string body, int? retryAfter = null)
    {
        var response = new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (retryAfter is { } seconds)
        {
            response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(seconds));
        }

        return response;
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }

    /// <summary>Answers each request with the next scripted answer (the last one repeats).</summary>
    private sealed class ScriptedHandler(params Func<HttpResponseMessage>[] answers) : HttpMessageHandler
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var call = Interlocked.Increment(ref _calls);
            return Task.FromResult(answers[Math.Min(call, answers.Length) - 1]());
        }
    }
}
