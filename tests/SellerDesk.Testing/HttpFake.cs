using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SellerDesk.Testing;

/// <summary>A request a fake took: method, path, headers (lower-case names) and the body's bytes.</summary>
public sealed record ReceivedRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string Text => Encoding.UTF8.GetString(Body);
}

/// <summary>
/// A small HTTP server on 127.0.0.1 (a free port, real sockets) standing in for a webhook receiver or the Telegram Bot
/// API. It keeps every request and answers each one with <see cref="Answer"/>, except that the next <see cref="FailNext"/>
/// requests get a 503 (a receiver that is down for a while).
/// </summary>
public sealed class HttpFake : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly BlockingCollection<ReceivedRequest> _requests = [];
    private readonly ConcurrentQueue<ReceivedRequest> _all = new();
    private readonly Task _serving;
    private int _failNext;

    private HttpFake(Func<ReceivedRequest, (int Status, string Body)> answer)
    {
        Answer = answer;
        var port = FreePort();
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
        _listener.Prefixes.Add(BaseAddress.ToString());
        _listener.Start();
        _serving = ServeAsync();
    }

    /// <summary>A webhook receiver that answers 200.</summary>
    public static HttpFake Webhook() => new(_ => (200, "ok"));

    /// <summary>
    /// The Bot API's <c>sendMessage</c>: <c>POST /bot{token}/sendMessage</c> with a JSON body answers
    /// <c>{"ok":true,...}</c>; any other path answers 404 as Telegram does.
    /// </summary>
    public static HttpFake Telegram() => new(r => r.Method == "POST" && r.Path.StartsWith("/bot", StringComparison.Ordinal) && r.Path.EndsWith("/sendMessage", StringComparison.Ordinal)
        ? (200, """{"ok":true,"result":{"message_id":1}}""")
        : (404, """{"ok":false,"error_code":404,"description":"Not Found"}"""));

    public Uri BaseAddress { get; }

    /// <summary>The host:port to put on the app's allow-list.</summary>
    public string HostAndPort => BaseAddress.Authority;

    public Func<ReceivedRequest, (int Status, string Body)> Answer { get; set; }

    /// <summary>How long each answer waits after the request came in (a receiver that hangs: the sender's timeout fires first).</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>How many of the next requests are answered 503.</summary>
    public int FailNext
    {
        get => Volatile.Read(ref _failNext);
        set => Volatile.Write(ref _failNext, value);
    }

    /// <summary>Every request taken so far, in order.</summary>
    public IReadOnlyList<ReceivedRequest> Requests => [.. _all];

    /// <summary>Waits for the next request taken (failed ones included).</summary>
    public async Task<ReceivedRequest> NextAsync(TimeSpan timeout)
    {
        var taken = await Task.Run(() => _requests.TryTake(out var request, timeout) ? request : null);
        return taken ?? throw new TimeoutException($"No request reached {BaseAddress} within {timeout.TotalSeconds:0} s.");
    }

    /// <summary>Waits until <paramref name="count"/> requests taken match <paramref name="match"/>, and returns those.</summary>
    public async Task<IReadOnlyList<ReceivedRequest>> WaitForAsync(Func<ReceivedRequest, bool> match, int count, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(match);
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var found = _all.Where(match).ToList();
            if (found.Count >= count)
            {
                return found;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{found.Count} of {count} requests expected reached {BaseAddress} within {timeout.TotalSeconds:0} s.");
            }

            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        try
        {
            await _serving;
        }
        catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
        {
            // Stopped.
        }

        _listener.Close();
        _requests.Dispose();
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            var headers = context.Request.Headers.AllKeys
                .Where(k => k is not null)
                .ToDictionary(k => k!.ToLowerInvariant(), k => context.Request.Headers[k] ?? string.Empty, StringComparer.Ordinal);
            var request = new ReceivedRequest(context.Request.HttpMethod, context.Request.Url?.AbsolutePath ?? "/", headers, body.ToArray());
            _all.Enqueue(request);
            _requests.Add(request);
            var (status, text) = Interlocked.Decrement(ref _failNext) >= 0 ? (503, "down for a while") : Answer(request);
            if (_failNext < 0)
            {
                Interlocked.Exchange(ref _failNext, 0);
            }

            if (Delay > TimeSpan.Zero)
            {
                await Task.Delay(Delay);
            }

            var bytes = Encoding.UTF8.GetBytes(text);
            context.Response.StatusCode = status;
            context.Response.ContentType = text.StartsWith('{') ? "application/json" : "text/plain";
            try
            {
                context.Response.ContentLength64 = bytes.Length;
                await context.Response.OutputStream.WriteAsync(bytes);
                context.Response.Close();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or IOException)
            {
                // The sender gave up waiting (its timeout) and closed the connection: keep serving the next ones.
            }
        }
    }
}
